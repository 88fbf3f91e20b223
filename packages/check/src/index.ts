/** @nixos-stack/check: validate a generated NixOS repo (manifest drift, static checks, nix flake check). */
export { runCheck, CheckSetupError } from "./run-check.js";
export { PHASES, exitCodeOf, type CheckOptions, type CheckResult, type Finding, type OverrideInput, type PhaseName, type PhaseResult, type RunnerName, type Severity } from "./types.js";
export { runManifestPhase, compareManagedFiles } from "./phases/manifest.js";
export { runStaticPhase } from "./phases/static/index.js";
export { parseNixFilesBatched, parseNixInstantiateError } from "./phases/static/nix-parse.js";
export { runFlakePhase } from "./phases/flake/index.js";
export { dockerCommand, localCommand, nixFlakeCheckArgs, resolveRunner, DOCKER_IMAGE, DOCKER_NIX_VOLUME } from "./phases/flake/runners.js";
export { splitNixOutput, describeFlakeErrors } from "./phases/flake/parse-nix-errors.js";
export { listRepoFiles, type RepoFiles } from "./repo-files.js";
export { jsonReport } from "./report/json.js";
export { formatPhase, formatSummary } from "./report/human.js";
