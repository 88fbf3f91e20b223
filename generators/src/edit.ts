/**
 * @nixos-stack/generators/edit: the edit pipeline and the generators that change an existing
 * repo (add-target, remove-target, add-service, remove-service). A separate entry point,
 * so that `npm create`, which only writes new repos, never loads it (nor jsonc-parser).
 */
export { registerRepoGenerators } from "./repo-generators.js";
export { readManifest, MANIFEST_PATH, type ManifestDocument } from "./manifest-edit/document.js";
export type { ManifestEdit } from "./manifest-edit/edit.js";
export { appendToArray, removeFromArray } from "./manifest-edit/json-text.js";
export { editStack, type EditStackOptions, type EditStackResult } from "./manifest-edit/edit-stack.js";
export { formatEditResult, type EditReport } from "./manifest-edit/format-edit.js";
export { EDIT_STACK_ACTION, editStackAction, type EditActionConfig } from "./manifest-edit/edit-action.js";
export { addTarget } from "./add-target/add-target.js";
export { TARGET_FLAGS, type TargetAnswers } from "./add-target/answers.js";
export { targetDefaults, type TargetDefaults } from "./add-target/defaults.js";
export { addTargetEdit, newHostEntry } from "./add-target/to-edit.js";
export { addTargetGenerator, toTargetAnswers, type EditGeneratorContext } from "./add-target/generator.js";
export { removeTarget } from "./remove-target/remove-target.js";
export { removeTargetEdit } from "./remove-target/to-edit.js";
export { removeTargetGenerator } from "./remove-target/generator.js";
export { addService } from "./add-service/add-service.js";
export type { ServiceAnswers } from "./add-service/answers.js";
export { SERVICE_KIND_PROMPTS, kindPrompts, type KindField, type ServiceKindPrompts } from "./add-service/kinds/index.js";
export { addServiceEdit, newServiceEntry } from "./add-service/to-edit.js";
export { addKindServiceGenerator, addServiceGenerator, toServiceAnswers } from "./add-service/generator.js";
export { fieldKey } from "./add-service/questions.js";
export { removeService } from "./remove-service/remove-service.js";
export { removeServiceEdit } from "./remove-service/to-edit.js";
export { removeServiceGenerator } from "./remove-service/generator.js";
export { addInstance, removeInstance } from "./add-instance/add-instance.js";
export { addInstanceEdit, removeInstanceEdit, findWebApp, nextFreePort, type InstanceAnswers } from "./add-instance/to-edit.js";
