/**
 * The `web-app` kind: one backend program run as N instances on one host (one per school class,
 * customer, team), each with its own systemd service, nginx virtual host `<subdomain>.<domain>`
 * with an ACME certificate, PostgreSQL database and role, and secrets file; one static frontend
 * shared by all of them. The rules here are the ones NixOS would otherwise fail on at deploy
 * time, said up front with the field named.
 */
import * as z from "zod/mini";
import { acmeAcceptTerms } from "../acme-terms.js";
import { dnsLabel, dnsName, email } from "../dns-name.js";
import { kindTag, lazyKind, port, safeText, serviceName, USER_NAME } from "../rules.js";
import type { PortUse } from "./port-fields.js";

const ENV_KEY = /^[A-Z_][A-Z0-9_]{0,63}$/;
const SECRET_KEY = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL)/i;

export const webAppService = lazyKind("web-app", () => {
  /** An instance name: part of its unit (`<app>-<name>.service`), user and database names. */
  const instanceName = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/, "use lowercase letters, digits and '-', 2–24 characters, starting with a letter (it names the instance's unit, user and database)"));

  /** PostgreSQL role/database names that are also Linux user names: peer authentication logs the Unix user in as the role of its name. */
  const roleName = z.string().check(z.regex(USER_NAME, "use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 31 characters (a Linux user name, so peer authentication maps it to its role)"));

  const instance = z.strictObject({
    name: instanceName,
    port: port().check(z.gte(1024, { error: "use 1024–65535: the instance runs unprivileged, behind nginx" })),
    subdomain: dnsLabel(),
    /** The instance's Unix user, PostgreSQL role and database: one name (default `<app>-<instance>`). */
    user: z.optional(roleName),
    /** An SQL file in this repo (./apps/…) loaded into the database once, while it has no tables. */
    initDocument: z.optional(z.string().check(z.regex(/^\.\/[A-Za-z0-9._\/-]+\.sql$/, "use a .sql file in this repo, e.g. \"./apps/school/schema.sql\""), z.refine((p) => !p.split("/").includes(".."), "must not contain '..'"))),
    args: z._default(z.array(safeText("an argument")), []),
    environment: z._default(
      z.record(
        z.string().check(z.regex(ENV_KEY, "environment names use upper-case letters, digits and '_'"), z.refine((k) => !SECRET_KEY.test(k), "looks like a secret: put it in the instance's secret file (docs/services), not in nixos-stack.json, which reaches the Nix store")),
        safeText("an environment value"),
      ),
      {},
    ),
  });

  return z
    .strictObject({
      kind: kindTag("web-app"),
      /** The app: `services.<name>` on the host, its group, `pkgs/<name>/`. */
      name: serviceName(),
      domain: dnsName(),
      /** The ACME (Let's Encrypt) account's contact address. */
      acmeEmail: email(),
      /** The operator accepts the ACME CA's terms (only `true`: the answer is theirs, not a default). */
      acmeAcceptTerms: acmeAcceptTerms(),
      /** Let's Encrypt's staging CA: untrusted certificates, generous rate limits, for a first try. */
      acmeStaging: z._default(z.boolean(), false),
      /**
       * The backend runs on a JIT runtime (Node.js, Deno, Bun, the JVM, .NET), as the placeholder
       * (Node.js) does: its units allow writable+executable memory and the system calls a JIT
       * needs (modules/lib/systemd-hardening.nix). false for a compiled program (Go, Rust, C)
       * keeps MemoryDenyWriteExecute on.
       */
      jit: z._default(
        z.boolean({ error: "use true when the backend runs on a JIT runtime (Node.js, as the placeholder does; Deno, Bun, the JVM, .NET), false for a compiled program (Go, Rust, C)" }),
        true,
      ),
      /** A PostgreSQL database and role per instance on this host. */
      postgresql: z._default(z.boolean(), true),
      /** services.postgresqlBackup of every instance database (needs postgresql). */
      backup: z.prefault(
        z.strictObject({
          enable: z._default(z.boolean(), true),
          /** systemd calendar time (systemd.time(7)). */
          schedule: z._default(safeText("schedule").check(z.minLength(1)), "*-*-* 01:15:00"),
          location: z._default(z.string().check(z.regex(/^\/[A-Za-z0-9._\/-]+$/, "use an absolute path such as /var/backup/postgresql")), "/var/backup/postgresql"),
        }),
        {},
      ),
      instances: z.array(instance).check(z.minLength(1, "list at least one instance ({ name, port(), subdomain })")),
    })
    .check(z.superRefine((app, ctx) => {
      // ports: the host-wide check (schema.ts) names both, against SSH and other services too
      const seen = { name: new Map<string, number>(), subdomain: new Map<string, number>(), user: new Map<string, number>() };
      app.instances.forEach((inst, i) => {
        const user = inst.user ?? `${app.name}-${inst.name}`;
        if (inst.user === undefined && !USER_NAME.test(user)) {
          ctx.addIssue({ code: "custom", path: ["instances", i, "name"], input: inst.name, message: `makes the user "${user}", longer than Linux allows (31 characters): shorten the app or instance name, or set instances[${i}].user` });
        }
        const check = (field: keyof typeof seen, value: string, path: string) => {
          const map = seen[field];
          const first = map.get(value);
          if (first === undefined) return void map.set(value, i);
          ctx.addIssue({ code: "custom", path: ["instances", i, path], input: value, message: `is also instances[${first}]'s ${field === "user" ? "user and database" : field} (${app.instances[first]!.name}); give ${inst.name} its own` });
        };
        check("name", inst.name, "name");
        check("subdomain", inst.subdomain, "subdomain");
        check("user", user, inst.user === undefined ? "name" : "user");
      });
    }));
});
export type WebAppService = z.infer<ReturnType<typeof webAppService>>;
export type WebAppInstance = WebAppService["instances"][number];

/** The instance's Unix user, PostgreSQL role and database name. */
export function webAppUser(app: Pick<WebAppService, "name">, inst: Pick<WebAppInstance, "name" | "user">): string {
  return inst.user ?? `${app.name}-${inst.name}`;
}

/** Each instance's port, for the host's port-clash check (SSH, other services). */
export function webAppPorts(app: WebAppService): PortUse[] {
  return app.instances.map((inst, i) => ({ path: ["instances", i, "port"], port: inst.port }));
}
