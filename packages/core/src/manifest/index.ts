export * from "./schema.js";
export * from "./validate.js";
export * from "./json-schema.js";
export { DEPLOYERS, SUDO_MODES, TAG_NAME, type Deployer, type SudoMode } from "./deploy-fields.js";
export * as rules from "./rules.js";
export { DEFAULTS } from "./defaults.js";
export { DEFAULT_NIXPKGS_BRANCH, homeManagerBranch, newStateVersion, NIXOS_RELEASES, NIXPKGS_RELEASES, releaseOf, type NixpkgsBranch, type NixpkgsRelease } from "./releases.js";
export { looksLikeKeyLine, PLACEHOLDER_SSH_KEY, publicKeysInFile, sshKeyProblem, type KeyFileResult } from "./ssh-key.js";
export { serviceSchema, servicePorts, serviceUser, nodeAppAccount, type Service, type ServiceKind, type ServiceOf, type GatewayService, type NodeAppService, type PortUse } from "./services/index.js";
