export { main } from "./main.js";
export type { Io } from "./io.js";
export { buildProgram, type CreateFlags } from "./cli/program.js";
