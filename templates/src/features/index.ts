/** The feature registry: each entry is one small file; order only affects nothing but readability (the tree is sorted). */
import type { Feature } from "@nixos-stack/core";
import { baseModulesFeature } from "./base-modules.js";
import { ciWorkflowFeature } from "./ci-workflow.js";
import { backupServiceFeature } from "./backup-service.js";
import { containersFeature } from "./containers.js";
import { deployScriptsFeature } from "./deploy-scripts.js";
import { dotenvValueFeature } from "./dotenv-value.js";
import { flakeFeature } from "./flake.js";
import { fleetScriptsFeature } from "./fleet-scripts.js";
import { fleetTargetsFeature } from "./fleet-targets.js";
import { gatewayServiceFeature } from "./gateway-service.js";
import { homeServiceFeature } from "./home-service.js";
import { hostsFeature } from "./hosts.js";
import { monitoringServiceFeature } from "./monitoring-service.js";
import { nodeExporterFeature } from "./node-exporter.js";
import { nodeAppFeature } from "./node-app.js";
import { webAppFeature } from "./web-app.js";
import { plopGeneratorsFeature } from "./plop-generators.js";
import { repoFeature } from "./repo.js";
import { requireSecretFeature } from "./require-secret.js";
import { secretsFeature } from "./secrets.js";
import { envFileSecretsFeature } from "./secrets-env-file.js";
import { stackToolsFeature } from "./stack-tools.js";
import { systemdHardeningFeature } from "./systemd-hardening.js";
import { requireEnvFileFeature } from "./require-env-file.js";
import { tuningFeature } from "./tuning.js";
import { vmTestsFeature } from "./vm-tests.js";
import { vpsProfileFeature } from "./vps-profile.js";

export const features: readonly Feature[] = [
  repoFeature,
  flakeFeature,
  vmTestsFeature,
  ciWorkflowFeature,
  baseModulesFeature,
  vpsProfileFeature,
  hostsFeature,
  fleetTargetsFeature,
  gatewayServiceFeature,
  homeServiceFeature,
  monitoringServiceFeature,
  nodeExporterFeature,
  backupServiceFeature,
  containersFeature,
  dotenvValueFeature,
  requireSecretFeature,
  tuningFeature,
  nodeAppFeature,
  webAppFeature,
  systemdHardeningFeature,
  requireEnvFileFeature,
  secretsFeature,
  envFileSecretsFeature,
  deployScriptsFeature,
  stackToolsFeature,
  fleetScriptsFeature,
  plopGeneratorsFeature,
];
