export { nix, nixAttr, nixAttrPath, nixPath, nixPretty, nixString, NixEscapeError, type NixValue } from "./nix.js";
export { sh, shArray } from "./shell.js";
export { md } from "./markdown.js";
