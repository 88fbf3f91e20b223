/** The package version for --version. The bundled bin gets it inlined at build time (build.mjs), so it reads no file. */
import { readFileSync } from "node:fs";

export const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
