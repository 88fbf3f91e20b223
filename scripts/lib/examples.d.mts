export declare const EXAMPLES_DIR: string;
export declare function renderExample(name: string): Promise<string>;
export declare function diffExample(name: string): Promise<string[]>;
export declare function exampleNames(): Promise<string[]>;
export declare function writeExample(name: string): Promise<void>;
