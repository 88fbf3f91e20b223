/**
 * The README's architecture diagram against the EVALUATED configuration of the examples' hosts
 * (offline `nix flake check` inputs, both option surfaces): the SSH port sshd listens on, the TCP
 * ports the firewall opens, and every unit the repo's modules/services/*.nix define (system
 * services, home-manager user services) with its user, port and secrets file, each drawn as
 * exactly that; no node names a unit the host does not have.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStackJson, type Stack } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { stackSecretNames } from "./kinds/registry.js";
import { encryptedSecrets, FlakeRepos, offline } from "./test-support/flake-repo.js";
import { offlineInputOverrides, overrideInputArgs, SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";

const repos = new FlakeRepos("readme-architecture");
afterAll(() => repos.cleanup());
const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

function example(name: string): Stack {
  const r = parseStackJson(readFileSync(join(EXAMPLES, name, "nixos-stack.json"), "utf8"), name);
  if (!r.ok) throw new Error(`examples/${name}: invalid manifest`);
  return r.stack;
}

interface Diagram {
  /** node id → its label's lines */
  nodes: Map<string, string[]>;
  /** subgraph id → its title */
  hosts: Map<string, string>;
}

/** The mermaid block of the README's "Architecture" section, its nodes' labels (entities decoded). */
function diagram(readme: string): Diagram {
  const section = readme.slice(readme.indexOf("## Architecture"), readme.indexOf("## Install"));
  const block = section.slice(section.indexOf("```mermaid"), section.indexOf("```", section.indexOf("```mermaid") + 3));
  const decode = (s: string) => s.replace(/#quot;/g, '"').replace(/#lt;/g, "<").replace(/#gt;/g, ">").replace(/#amp;/g, "&").replace(/#35;/g, "#").replace(/#96;/g, "`");
  const nodes = new Map<string, string[]>();
  const hosts = new Map<string, string>();
  for (const line of block.split("\n")) {
    const sub = /^\s*subgraph (\w+)\["(.*)"\]$/.exec(line);
    if (sub) hosts.set(sub[1]!, decode(sub[2]!));
    const node = /^\s*(\w+)\["(.*)"\]$/.exec(line);
    if (node && !sub) nodes.set(node[1]!, node[2]!.split("<br/>").map(decode));
  }
  return { nodes, hosts };
}

/** What the host's evaluated configuration has: sshd's ports, the firewall's, and the units our modules/services/*.nix define. */
const FACTS = `h: let
    c = h.config;
    fromOurs = defs: builtins.filter (d: builtins.match ".*/modules/services/[^/]*[.]nix" d.file != null) defs;
    systemNames = builtins.concatMap (d: builtins.attrNames d.value) (fromOurs h.options.systemd.services.definitionsWithLocations);
    hm = c.home-manager.users or { };
  in {
    sshPorts = c.services.openssh.ports;
    openFirewall = c.services.openssh.openFirewall;
    firewall = c.networking.firewall.allowedTCPPorts;
    autoUpgrade = c.system.autoUpgrade.enable;
    system = builtins.listToAttrs (map (n: { name = n; value = let u = c.systemd.services.\${n}; in { User = u.serviceConfig.User or null; EnvironmentFile = u.serviceConfig.EnvironmentFile or null; port = u.environment.PORT or null; }; }) (builtins.filter (n: c.systemd.services ? \${n}) systemNames));
    user = builtins.concatLists (builtins.attrValues (builtins.mapAttrs (user: cfg: builtins.attrValues (builtins.mapAttrs (name: s: { inherit user name; EnvironmentFile = s.Service.EnvironmentFile or null; environment = s.Service.Environment or [ ]; }) (cfg.systemd.user.services or { }))) hm));
  }`;

interface Facts {
  sshPorts: number[];
  openFirewall: boolean;
  firewall: number[];
  autoUpgrade: boolean;
  system: Record<string, { User: string | null; EnvironmentFile: string | null; port: string | null }>;
  user: Array<{ user: string; name: string; EnvironmentFile: string | null; environment: string[] }>;
}

/** `nix eval` of a host with the offline inputs, the node-apps' source inputs included (their stand-in tree). */
function evalHost(dir: string, branch: SurfaceBranch, host: string, apply: string): unknown {
  if (!offline.ok) throw new Error(offline.reason);
  const args = ["--extra-experimental-features", "nix-command flakes", ...overrideInputArgs(offlineInputOverrides(branch, offline.path, dir))];
  return JSON.parse(execFileSync("nix", ["eval", "--json", "--no-write-lock-file", `.#nixosConfigurations.${host}`, "--apply", apply, ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

const secretPath = (file: string | null) => (file === null ? null : file.replace(/^-/, ""));

describe.skipIf(!offline.ok)("the README's architecture diagram is the evaluated system", () => {
  for (const name of ["multi-instance-webapp", "discord-bot", "vps", "vps-sops"]) {
    it.each(SURFACE_BRANCHES)(`examples/${name} on %s`, (branch) => {
      const stack = { ...example(name), nixpkgs: { branch } } as Stack;
      const readme = renderStack(stack).get("README.md")!.content;
      const { nodes, hosts } = diagram(readme);
      // the encrypted files an operator has committed (agenix -e / sops): only their presence matters to evaluation
      const dir = repos.create(stack, encryptedSecrets(stack.secrets.backend === "env-file" ? [] : stackSecretNames(stack)));
      // the README speaks of a gateway only where there is one
      expect(readme.includes("The gateway does not start"), "troubleshooting").toBe(stack.hosts.some((h) => h.services.some((s) => s.kind === "gateway")));
      expect([...hosts.values()]).toEqual(stack.hosts.filter((h) => h.profile === "vps").map((h) => `NixOS server ${h.name}`));

      for (const [hostIndex, host] of stack.hosts.entries()) {
        if (host.profile !== "vps") continue;
        const facts = evalHost(dir, branch, host.name, FACTS) as Facts;
        const id = `h${hostIndex}`;
        const label = (suffix: string) => nodes.get(`${id}${suffix}`)!;
        expect(label("sshd")).toEqual([`sshd :${facts.sshPorts.join(", ")}, key-only`]);
        const open = [...new Set([...facts.firewall, ...(facts.openFirewall ? facts.sshPorts : [])])].sort((a, b) => a - b);
        expect(label("fw")).toEqual([`firewall: TCP ${open.join(", ")} only`]);
        expect(nodes.has(`${id}upg`)).toBe(facts.autoUpgrade);

        // the service nodes of this host: the unit first
        const serviceNodes = [...nodes.entries()].filter(([k]) => k.startsWith(`${id}n`)).map(([, lines]) => lines);
        const units = serviceNodes.map((lines) => lines[0]!.split(" ")[0]!);
        const systemUnits = Object.keys(facts.system).map((n) => `${n}.service`);
        const userUnits = facts.user.map((u) => `${u.name}.service`);
        expect(units.sort()).toEqual([...systemUnits, ...userUnits].sort());

        for (const [unit, f] of Object.entries(facts.system)) {
          // every node-app and web-app unit of these examples reads a secrets file
          expect(f.EnvironmentFile, unit).not.toBeNull();
          const lines = serviceNodes.find((l) => l[0] === `${unit}.service`)!;
          if (f.User !== null) expect(lines, unit).toContain(`user ${f.User}`);
          if (f.port !== null) expect(lines.some((l) => l.startsWith(`127.0.0.1:${f.port} `)), `${unit}: ${lines.join(" | ")}`).toBe(true);
          const secret = secretPath(f.EnvironmentFile);
          if (secret !== null) expect(lines.find((l) => l.startsWith("secrets: ")), unit).toMatch(new RegExp(`(→ |secrets: )${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( |$)`));
        }
        for (const u of facts.user) {
          const lines = serviceNodes.find((l) => l[0]!.startsWith(`${u.name}.service `))!;
          expect(lines[0]).toBe(`${u.name}.service (user service of ${u.user}, lingering)`);
          const port = u.environment.find((e) => e.startsWith("PORT="))?.slice(5);
          if (port !== undefined) expect(lines).toContain(`127.0.0.1:${port}`);
          const secret = secretPath(u.EnvironmentFile);
          // under env-file a user service's file is in its home (~<user>/…, as the diagram writes it)
          if (secret !== null) expect(lines.find((l) => l.startsWith("secrets: "))!.replace(`~${u.user}/`, `/home/${u.user}/`), u.name).toContain(secret);
        }
      }
    }, 120_000);
  }
});
