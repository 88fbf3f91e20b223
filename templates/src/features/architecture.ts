/**
 * The README's architecture diagram, from the manifest: per VPS host, the SSH port, the TCP ports
 * the firewall opens, and each service as the unit it becomes (system or home-manager user
 * service), its user, where it listens and where its secrets come from. The same values the host's
 * default.nix and the kinds' modules get, so a test can hold the diagram against the EVALUATED
 * configuration (templates/src/readme-architecture.flake-check.test.ts).
 */
import { nodeAppAccount, webAppUser, type Host, type Stack } from "@nixos-stack/core";
import { envSecretFile } from "./secret-howto.js";
import { hostSecretFiles } from "../kinds/registry.js";

export interface ArchitectureService {
  /** mermaid node id */
  id: string;
  /** label lines: the unit first */
  lines: string[];
}

export interface ArchitectureHost {
  id: string;
  name: string;
  sshPort: number;
  /** every TCP port the host's firewall opens, sorted (SSH's included) */
  firewall: number[];
  /** the daily nixos-upgrade timer (hosts[].deploy.autoUpgrade) */
  autoUpgrade: boolean;
  system: ArchitectureService[];
  user: ArchitectureService[];
}

/**
 * Where a service's KEY=value file is on the server, and where it comes from (modules/secrets.nix
 * of each backend: agenix decrypts into /run/agenix/<name>, sops-nix into /run/secrets/<name>;
 * under env-file the operator creates it on the server).
 */
export function secretFlow(stack: Stack, name: string, homeFile?: string): string {
  switch (stack.secrets.backend) {
    case "agenix":
      return `secrets: secrets/${name}.age → /run/agenix/${name}`;
    case "sops":
      return `secrets: secrets/${name}.env (sops) → /run/secrets/${name}`;
    default:
      return `secrets: ${homeFile ?? envSecretFile(stack, name)} (you create it on the server)`;
  }
}

/** The TCP ports the host's modules open: SSH (openssh.openFirewall), 443 (modules/security.nix), 80 where nginx answers ACME's HTTP-01. */
export function hostFirewallPorts(host: Host): number[] {
  const nginx = host.services.some((s) => s.kind === "web-app" || s.kind === "monitoring" || s.kind === "containers");
  return [...new Set([host.deploy.sshPort, 443, ...(nginx ? [80] : [])])].sort((a, b) => a - b);
}

function hostServices(stack: Stack, host: Host, hostIndex: number): Pick<ArchitectureHost, "system" | "user"> {
  const secrets = hostSecretFiles(stack, host);
  const system: ArchitectureService[] = [];
  const user: ArchitectureService[] = [];
  const id = () => `h${hostIndex}n${system.length + user.length}`;
  for (const s of host.services) {
    switch (s.kind) {
      case "gateway":
      case "home-service": {
        const port = s.kind === "gateway" ? s.port : (s.port ?? null);
        const home = `~${s.user}/.config/${s.name}/secrets.env`;
        user.push({ id: id(), lines: [`${s.name}.service (user service of ${s.user}, lingering)`, ...(port !== null ? [`127.0.0.1:${port}`] : []), secretFlow(stack, s.name, secrets[s.name] ? undefined : home)] });
        break;
      }
      case "node-app": {
        const account = nodeAppAccount(s);
        const units = [`${s.name}.service`, ...(s.companion?.enable ? [`${s.name}-deploy.service`] : [])];
        for (const unit of units) system.push({ id: id(), lines: [unit, `user ${account.user}`, "connects out, listens on no port", secretFlow(stack, s.name)] });
        break;
      }
      case "web-app":
        for (const inst of s.instances) {
          system.push({
            id: id(),
            lines: [`${s.name}-${inst.name}.service`, `user ${webAppUser(s, inst)}`, `127.0.0.1:${inst.port} ← nginx https://${inst.subdomain}.${s.domain}`, `PostgreSQL database ${webAppUser(s, inst)}`, secretFlow(stack, `${s.name}-${inst.name}`)],
          });
        }
        break;
      case "monitoring":
        system.push({ id: id(), lines: [`Prometheus :${s.prometheusPort}, Grafana :${s.grafanaPort}, node exporter :${s.nodeExporterPort}`, `Grafana ← nginx https://${s.subdomain}.${s.domain}`, secretFlow(stack, s.name)] });
        break;
      case "backup":
        system.push({ id: id(), lines: [`borgbackup-job-${s.name}.service (${s.schedule})`, `to ${s.repository}`, secretFlow(stack, s.name)] });
        break;
      case "containers":
        system.push({ id: id(), lines: ["nixos-containers (docs/services/containers.md)", "← nginx, 80 and 443"] });
        break;
    }
  }
  return { system, user };
}

/** The diagram's hosts: the VPS-profile ones (a fleet's targets have the fleet diagram). */
export function architecture(stack: Stack): ArchitectureHost[] {
  return stack.hosts.flatMap((host, i) =>
    host.profile !== "vps" ? [] : [{ id: `h${i}`, name: host.name, sshPort: host.deploy.sshPort, firewall: hostFirewallPorts(host), autoUpgrade: host.deploy.autoUpgrade !== false, ...hostServices(stack, host, i) }],
  );
}
