/** Module → the modules it imports, as paths relative to the repo root. */
export function importGraph(root?: string): Map<string, string[]>;
/** The strongly connected components of more than one module (or a module importing itself), each sorted. */
export function importCircles(graph: Map<string, string[]>): string[][];
