export { nix, nixAttr, nixPath, nixPretty, nixString, NixEscapeError, NixFloat, type NixValue } from "./nix.js";
export { sh } from "./shell.js";
export { md } from "./markdown.js";
export { mermaid } from "./mermaid.js";
export { yamlString, YamlEscapeError } from "./yaml.js";
