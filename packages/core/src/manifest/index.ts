export * from "./schema.js";
export * from "./validate.js";
export * from "./json-schema.js";
export { DEPLOYERS, SUDO_MODES, TAG_NAME, type Deployer, type SudoMode } from "./deploy-fields.js";
export * as rules from "./rules.js";
export { STABLE_RELEASE, sshKeyProblem } from "./rules.js";
export { serviceSchema, type Service, type ServiceKind, type ServiceOf, type GatewayService } from "./services/index.js";
