import * as z from "zod";
import {
  deployAddress,
  diskDevice,
  hostName,
  locale,
  nixpkgsBranch,
  port,
  projectName,
  safeText,
  sshPublicKey,
  STABLE_RELEASE,
  stateVersion,
  timeZone,
  userName,
} from "./rules.js";
import { serviceSchema } from "./services/index.js";

// Each CLI run validates one manifest: zod's JIT (code generated per object schema) costs more
// than it saves for a single parse, so parse without it.
z.config({ jitless: true });

export const SYSTEMS = ["x86_64-linux", "aarch64-linux"] as const;
/** What a host is for; each profile selects a set of template features. */
export const PROFILES = ["vps"] as const;
export const SECRETS_BACKENDS = ["agenix", "sops", "env-file"] as const;
export const SCHEMA_FILE = ".nixos-stack/schema.json";

export const adminSchema = z.strictObject({
  name: userName,
  sshKeys: z.array(sshPublicKey).default([]),
});

export const hostSchema = z.strictObject({
  name: hostName,
  system: z.enum(SYSTEMS, { error: `use one of ${SYSTEMS.join(", ")}` }).default("x86_64-linux"),
  profile: z.enum(PROFILES, { error: `use one of ${PROFILES.join(", ")}` }).default("vps"),
  deploy: z
    .strictObject({
      /** Where the deploy scripts reach the host; the scripts' --host flag overrides it. */
      address: deployAddress.optional(),
      sshPort: port.default(2222),
    })
    .prefault({}),
  disk: z.strictObject({ device: diskDevice.default("/dev/sda") }).prefault({}),
  services: z.array(serviceSchema).default([]),
});

export const stackSchema = z
  .strictObject({
    $schema: safeText("$schema").optional(),
    name: projectName,
    description: safeText("description").max(200, "keep it under 200 characters").default("NixOS machines managed with nixos-stack"),
    nixpkgs: z.strictObject({ branch: nixpkgsBranch.default(`nixos-${STABLE_RELEASE}`) }).prefault({}),
    stateVersion: stateVersion.default(STABLE_RELEASE),
    timeZone: timeZone.default("UTC"),
    locale: locale.default("en_US.UTF-8"),
    secrets: z.strictObject({ backend: z.enum(SECRETS_BACKENDS, { error: `use one of ${SECRETS_BACKENDS.join(", ")}` }).default("env-file") }).prefault({}),
    admins: z.array(adminSchema).min(1, "add at least one admin user (name and SSH public keys)"),
    hosts: z.array(hostSchema).min(1, "add at least one host"),
  })
  .superRefine((stack, ctx) => {
    // agenix and sops-nix are part of the schema already, but no template wires them yet:
    // refuse them rather than generate a repo that silently ignores the choice
    if (stack.secrets.backend !== "env-file") {
      ctx.addIssue({ code: "custom", path: ["secrets", "backend"], input: stack.secrets.backend, message: 'is not available in this version yet; use "env-file" (secrets in files on the server, outside the Nix store)' });
    }
    const seen = new Map<string, number>();
    stack.hosts.forEach((host, i) => {
      const first = seen.get(host.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "name"], input: host.name, message: `is already the name of hosts[${first}]; host names must be unique` });
      else seen.set(host.name, i);
      const services = new Map<string, number>();
      host.services.forEach((service, j) => {
        const prev = services.get(service.name);
        if (prev !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "name"], input: service.name, message: `is already the name of services[${prev}] on this host` });
        else services.set(service.name, j);
        const admin = stack.admins.findIndex((a) => "user" in service && a.name === service.user);
        if (admin >= 0) ctx.addIssue({ code: "custom", path: ["hosts", i, "services", j, "user"], input: (service as { user: string }).user, message: `is admins[${admin}]; a service runs as its own unprivileged user, pick another name` });
      });
    });
    refuseSharedAddresses(stack.hosts, ctx);
    const admins = new Map<string, number>();
    stack.admins.forEach((admin, i) => {
      const prev = admins.get(admin.name);
      if (prev !== undefined) ctx.addIssue({ code: "custom", path: ["admins", i, "name"], input: admin.name, message: `is already admins[${prev}]` });
      else admins.set(admin.name, i);
    });
  });

/**
 * Two hosts at one address and SSH port would be deployed over each other. Hosts of different
 * systems may share one: they are alternative configurations of one server (the VPS preset's
 * vps-x86 and vps-arm both get `--address`), and only the one matching the machine can install.
 */
function refuseSharedAddresses(hosts: readonly z.output<typeof hostSchema>[], ctx: z.core.$RefinementCtx): void {
  const seen = new Map<string, number>();
  hosts.forEach((host, i) => {
    if (host.deploy.address === undefined) return;
    // IPv6 hex digits in either case are one address; other spellings (leading zeros, ::) are compared as written
    const key = `${host.system} ${host.deploy.address.toLowerCase()} ${host.deploy.sshPort}`;
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

/** The manifest after defaults are applied: what render() consumes. */
export type Stack = z.output<typeof stackSchema>;
/** What a person may write in nixos-stack.json (defaults optional). */
export type StackInput = z.input<typeof stackSchema>;
export type Host = Stack["hosts"][number];
export type Admin = Stack["admins"][number];
export type NixosSystem = (typeof SYSTEMS)[number];

/** The home-manager branch that matches a nixpkgs branch (home-manager docs: master for unstable). */
export function homeManagerBranch(nixpkgsBranchName: string): string {
  const release = /^nixos-([0-9]{2}\.[0-9]{2})$/.exec(nixpkgsBranchName);
  return release ? `release-${release[1]}` : "master";
}
