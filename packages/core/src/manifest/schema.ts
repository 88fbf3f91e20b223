import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { deployAddress, isIP } from "./address.js";
import { DEFAULTS } from "./defaults.js";
import { diskDevice } from "./disk-device.js";
import { formatPath } from "./field-path.js";
import { locale } from "./locale.js";
import { portClashes } from "./port-clashes.js";
import { newStateVersion, nixpkgsBranch, stateVersion, stateVersionProblem } from "./releases.js";
import { hostName, port, projectName, safeText, userName } from "./rules.js";
import { serviceSchema, serviceUser } from "./services/index.js";
import { hostKey, sshPublicKey } from "./ssh-key.js";
import { timeZone } from "./time-zone.js";
import { tuningSchema } from "./tuning.js";
import { checkDeployChoices, deployer, deployUser, sudoMode, tagName } from "./deploy-fields.js";
import { builtOnce } from "./built-once.js";

// (no `jitless` setting: zod/mini's objects never generate code, unlike classic zod's, zod/v4/mini/schemas.js ZodMiniObject)
// zod/mini loads no locale: its own messages ("Too small: expected string to have >=1 characters",
// "Invalid input: expected string, received number") are the English ones classic zod gives.
z.config(en());

export const SYSTEMS = ["x86_64-linux", "aarch64-linux"] as const;
/** The LAN fleet's machines: deployed by the fleet scripts (deploy.sh, deploy-all.sh, …). */
export const FLEET_PROFILES = ["server", "workstation", "media"] as const;
/** What a host is for; each profile selects a set of template features. */
export const PROFILES = ["vps", ...FLEET_PROFILES] as const;
export const SECRETS_BACKENDS = ["agenix", "sops", "env-file"] as const;
export const SCHEMA_FILE = ".nixos-stack/schema.json";

export const SHELLS = ["bash", "zsh", "fish"] as const;
/** A Linux group name (the user-name rule, without the reserved-name check: wheel, audio… are what we want). */
const groupName = () => z.string().check(z.regex(/^[a-z_][a-z0-9_-]{0,30}$/, "use lowercase letters, digits, '_' and '-', starting with a letter or '_' (Linux group name rule)"));

/*
 * The manifest's own schemas, like every rule they use, are built by their first caller
 * (built-once.ts; `stackSchema()`), not when this module is evaluated: a `--yes` scaffold
 * validates no manifest at run time (generators/src/stack/default-stacks.ts: its preset's
 * defaults were validated when the bin was built), and building these cost every start about
 * 3 ms, the rules another 1.5 (README, Speed).
 */

export const adminSchema = builtOnce(() => z.strictObject({
  name: userName(),
  sshKeys: z._default(z.array(sshPublicKey()), []),
  /** The fleet's primary user (admins[0]): the account's full name (users.users.<name>.description). */
  // users.users.<name>.description is `passwdEntry str` (nixos/modules/config/users-groups.nix):
  // a ':' would split the /etc/passwd line, and NixOS refuses it
  description: z.optional(safeText("description").check(z.maxLength(100, "keep it under 100 characters"), z.regex(/^[^:]*$/, "must not contain ':' (it becomes the account's /etc/passwd comment field, which ':' ends)"))),
  /** Groups besides wheel and those the target's profile adds (networkmanager, audio, video, render…). */
  extraGroups: z._default(z.array(groupName()), []),
  shell: z._default(z.enum(SHELLS, { error: `use one of ${SHELLS.join(", ")}` }), "bash"),
  /**
   * Only with sudo "password", and only when asked for: a first password (users.users.<name>.initialPassword).
   * It lands in the world-readable Nix store; change it with `passwd` after the first login.
   */
  initialPassword: z.optional(safeText("initialPassword").check(z.minLength(1), z.maxLength(128))),
  /** Only with sudo "password": an absolute path on the target holding the hashed password (mkpasswd -m yescrypt). */
  hashedPasswordFile: z.optional(z.string().check(z.regex(/^\/[A-Za-z0-9._\/-]+$/, "use an absolute path such as /etc/nixos-secrets/alice.hash"))),
}));

export const hostSchema = builtOnce(() => z.strictObject({
  name: hostName(),
  system: z._default(z.enum(SYSTEMS, { error: `use one of ${SYSTEMS.join(", ")}` }), DEFAULTS.system),
  profile: z._default(z.enum(PROFILES, { error: `use one of ${PROFILES.join(", ")}` }), DEFAULTS.profile),
  deploy: z.prefault(
    z.strictObject({
      /** Where the deploy scripts reach the host; the scripts' --host flag overrides it. */
      address: z.optional(deployAddress()),
      sshPort: z._default(port(), DEFAULTS.sshPort),
      /** The SSH login of the deploy scripts; any user but root activates through sudo. */
      user: z._default(deployUser(), "root"),
      /**
       * A VPS host rebuilds itself daily from the copy update.sh keeps in /etc/nixos. false: it is
       * built elsewhere (update.sh --build-on local) and never rebuilds itself.
       */
      autoUpgrade: z._default(z.boolean(), true).check(z.meta({ description: "VPS hosts: rebuild daily from /etc/nixos on the host (system.autoUpgrade). false for a host built elsewhere (update.sh builds it on your machine): a small server then never compiles, and keeps the system you pushed." })),
    }),
    {},
  ),
  disk: z.prefault(z.strictObject({ device: z._default(diskDevice(), DEFAULTS.diskDevice) }), {}),
  services: z._default(z.array(serviceSchema()), []),
  /** Kernel and system tuning (sysctl values, open-file limits); left out: the kernel's and NixOS' defaults. */
  tuning: z.optional(tuningSchema()),
  /** Names that select targets: `deploy-all.sh --tag T`, colmena's `--on @T`. */
  tags: z._default(z.array(tagName()), []),
  /**
   * The host's own SSH key (`cat /etc/ssh/ssh_host_ed25519_key.pub` on it, or `ssh-keyscan`),
   * known after its first boot: agenix and sops encrypt the secrets to it so the host can decrypt them.
   */
  hostKey: z.optional(hostKey()).check(z.meta({ description: "The host's SSH ed25519 public key (cat /etc/ssh/ssh_host_ed25519_key.pub on the host, after its first boot). agenix/sops encrypt secrets to it; then re-key (agenix -r, or sops updatekeys)." })),
}));

const stackFields = () => z
  .strictObject({
    $schema: z.optional(safeText("$schema")),
    name: projectName(),
    description: z._default(safeText("description").check(z.maxLength(200, "keep it under 200 characters")), DEFAULTS.description),
    nixpkgs: z.prefault(z.strictObject({ branch: z._default(nixpkgsBranch(), DEFAULTS.nixpkgsBranch) }), {}),
    /** The release of the first install; a new repo gets its branch's (filled in below), an existing server keeps its own. */
    stateVersion: z.optional(stateVersion()).check(z.meta({ description: "The NixOS release the servers were first installed with. Leave it out in a new repo: it follows nixpkgs.branch and is then written here." })),
    timeZone: z._default(timeZone(), DEFAULTS.timeZone),
    locale: z._default(locale(), DEFAULTS.locale),
    secrets: z.prefault(z.strictObject({ backend: z._default(z.enum(SECRETS_BACKENDS, { error: `use one of ${SECRETS_BACKENDS.join(", ")}` }), DEFAULTS.secretsBackend) }), {}),
    /** .github/workflows/check.yml: nix flake check and each host evaluated, on GitHub Actions. */
    ci: z.prefault(
      z.strictObject({ github: z._default(z.boolean(), true).check(z.meta({ description: "Write .github/workflows/check.yml (nix flake check on GitHub Actions, each host evaluated by name). false: no workflow, and a sync removes the one it wrote." })) }),
      {},
    ),
    admins: z.array(adminSchema()).check(z.minLength(1, "add at least one admin user (name and SSH public keys)")),
    hosts: z.array(hostSchema()).check(z.minLength(1, "add at least one host")),
    deployer: z._default(deployer(), "nixos-rebuild"),
    sudo: z._default(sudoMode(), "nopasswd"),
  })
  .check(z.superRefine((stack, ctx) => {
    const seen = new Map<string, number>();
    stack.hosts.forEach((host, i) => {
      const first = seen.get(host.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "name"], input: host.name, message: `is already the name of hosts[${first}]; host names must be unique` });
      else seen.set(host.name, i);
      const services = new Map<string, number>();
      const users = new Map<string, number>();
      host.services.forEach((service, j) => {
        // two services of a host sharing a user would share its files, secrets and limits
        // (a service without a "user" field runs as its default user: the error names "user", the field that fixes it)
        const user = serviceUser(service);
        if (user !== undefined) {
          const owner = users.get(user);
          if (owner !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "user"], input: user, message: `is already the user of services[${owner}] on this host; each service runs as its own user, pick another name` });
          else users.set(user, j);
        }
        // Prometheus and Grafana are one service each per machine (services.prometheus, services.grafana)
        if (ONCE_PER_HOST_KINDS.includes(service.kind)) {
          const first = host.services.findIndex((other) => other.kind === service.kind);
          if (first < j) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "kind"], input: service.kind, message: `is also services[${first}]'s kind: a host runs one ${service.kind} service; remove one` });
        }
        // the host's node exporter is its monitoring service's or its monitoring container's, not both
        if (service.kind === "containers" && host.services.some((other) => other.kind === "monitoring")) {
          const k = service.containers.findIndex((c) => c.role === "monitoring");
          if (k >= 0) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "containers", k, "role"], input: "monitoring", message: "this host already runs a monitoring service: keep one Prometheus per host, either that service or this container" });
        }
        const prev = services.get(service.name);
        if (prev !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "name"], input: service.name, message: `is already the name of services[${prev}] on this host` });
        else services.set(service.name, j);
        const admin = stack.admins.findIndex((a) => user !== undefined && a.name === user);
        if (admin >= 0) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "user"], input: user, message: `is admins[${admin}]; a service runs as its own unprivileged user, pick another name` });
      });
    });
    refuseSharedAddresses(stack.hosts, ctx);
    const admins = new Map<string, number>();
    stack.admins.forEach((admin, i) => {
      const prev = admins.get(admin.name);
      if (prev !== undefined) ctx.addIssue({ code: "custom", path: ["admins", i, "name"], input: admin.name, message: `is already admins[${prev}]` });
      else admins.set(admin.name, i);
      for (const field of ["initialPassword", "hashedPasswordFile"] as const) {
        if (admin[field] !== undefined && stack.sudo !== "password")
          ctx.addIssue({ code: "custom", path: ["admins", i, field], input: admin[field], message: `is only used with sudo "password" (sudo is "${stack.sudo}", keys only): remove it, or set sudo to "password"` });
      }
      if (admin.initialPassword !== undefined && admin.hashedPasswordFile !== undefined)
        ctx.addIssue({ code: "custom", path: ["admins", i, "initialPassword"], input: admin.initialPassword, message: "is set together with hashedPasswordFile, which wins on every switch: keep one of them" });
    });
    refusePortClashes(stack.hosts, ctx);
    refuseSharedAppNames(stack.hosts, ctx);
    checkStateVersion(stack, ctx);
  }))
  .check(z.superRefine(checkDeployChoices));

// written out in the manifest, so a later change of branch never moves the stateVersion
export const stackSchema = builtOnce(() => z.pipe(
  stackFields(),
  z.transform(({ $schema, name, description, nixpkgs, stateVersion, ...rest }: z.output<ReturnType<typeof stackFields>>) => ({
    ...($schema === undefined ? {} : { $schema }),
    name,
    description,
    nixpkgs,
    stateVersion: stateVersion ?? newStateVersion(nixpkgs.branch),
    ...rest,
  })),
));

type ParsedHost = z.output<ReturnType<typeof hostSchema>>;

/** Kinds a host runs at most once. */
const ONCE_PER_HOST_KINDS: readonly string[] = ["monitoring", "containers"];

/** Kinds run by home-manager (their users' home.stateVersion follows the host's stateVersion). */
const HOME_MANAGER_KINDS: readonly string[] = ["gateway", "home-service"];

/** Per host: the SSH port and every service port must differ (services list their port fields). */
function refusePortClashes(hosts: readonly ParsedHost[], ctx: z.core.$RefinementCtx): void {
  hosts.forEach((host, i) => {
    for (const clash of portClashes(host)) {
      ctx.addIssue({
        code: "custom",
        path: ["hosts", i, ...clash.path],
        input: clash.port,
        message: `is also ${formatPath(["hosts", i, ...clash.other])}; give each its own port`,
      });
    }
  });
}

/**
 * A node-app's package (pkgs/<name>) and source input (<name>-src) are one per repo: the same
 * name on two hosts must be the same app (same source and dependency hash).
 */
function refuseSharedAppNames(hosts: readonly ParsedHost[], ctx: z.core.$RefinementCtx): void {
  const first = new Map<string, { host: number; service: number; app: string }>();
  hosts.forEach((host, i) =>
    host.services.forEach((service, j) => {
      if (service.kind !== "node-app") return;
      const app = JSON.stringify([service.source, service.npmDepsHash ?? null]);
      const seen = first.get(service.name);
      if (seen === undefined) return void first.set(service.name, { host: i, service: j, app });
      if (seen.app !== app)
        ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "name"], input: service.name, message: `is also hosts[${seen.host}].services[${seen.service}], a node-app with another source or npmDepsHash; both would be pkgs/${service.name}: give this app its own name` });
    }),
  );
}


/** An explicit stateVersion (an existing server's) must be one the branch and home-manager know. */
function checkStateVersion(stack: { stateVersion?: string | undefined; nixpkgs: { branch: string }; hosts: readonly ParsedHost[] }, ctx: z.core.$RefinementCtx): void {
  if (stack.stateVersion === undefined) return;
  const usesHomeManager = stack.hosts.some((host) => host.services.some((service) => HOME_MANAGER_KINDS.includes(service.kind)));
  const problem = stateVersionProblem(stack.stateVersion, stack.nixpkgs.branch, usesHomeManager);
  if (problem) ctx.addIssue({ code: "custom", path: ["stateVersion"], input: stack.stateVersion, message: problem });
}

/**
 * Two hosts at one address and SSH port would be deployed over each other. Hosts of different
 * systems may share one: they are alternative configurations of one server (the VPS preset's
 * vps-x86 and vps-arm both get `--address`), and only the one matching the machine can install.
 */
function refuseSharedAddresses(hosts: readonly z.output<ReturnType<typeof hostSchema>>[], ctx: z.core.$RefinementCtx): void {
  const seen = new Map<string, number>();
  hosts.forEach((host, i) => {
    if (host.deploy.address === undefined) return;
    const key = `${host.system} ${canonicalAddress(host.deploy.address)} ${host.deploy.sshPort}`;
    const first = seen.get(key);
    if (first === undefined) return void seen.set(key, i);
    ctx.addIssue({
      code: "custom",
      path: ["hosts", i, "deploy", "address"],
      input: host.deploy.address,
      message: `is also hosts[${first}].deploy.address, with the same SSH port ${host.deploy.sshPort}: give hosts[${i}] its own address (or deploy.sshPort, behind port forwarding)`,
    });
  });
}

/**
 * One spelling per address, so "2001:DB8::1", "2001:db8:0::1" and "2001:0db8::0001" are one host:
 * the WHATWG URL parser writes IPv6 in its canonical form (RFC 5952). (DNS names must be lower case.)
 */
function canonicalAddress(address: string): string {
  if (isIP(address) === 6) return new URL(`http://[${address}]/`).hostname;
  return address;
}

/** The manifest after defaults are applied: what render() consumes. */
export type Stack = z.output<ReturnType<typeof stackSchema>>;
/** What a person may write in nixos-stack.json (defaults optional). */
export type StackInput = z.input<ReturnType<typeof stackSchema>>;
export type Host = Stack["hosts"][number];
export type Admin = Stack["admins"][number];
export type NixosSystem = (typeof SYSTEMS)[number];
