export { main, type Io } from "./main.js";
export { buildProgram, type CreateFlags } from "./cli/program.js";
