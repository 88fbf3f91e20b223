/**
 * The data container's credential steps, run for real: the shell text the generated
 * modules/services/containers.nix embeds (writeShellApplication), each Nix interpolation replaced
 * by a path of this test, against the real tools (nats-server, jq; Debian's packages, skipped
 * saying so where missing). NATS gets its token from the KEY=value secret file through a runtime
 * configuration that the real nats-server enforces.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { freePort } from "./test-support/free-port.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const has = (tool: string, args: string[]) => spawnSync(tool, args).status === 0;
const tools = { nats: has("nats-server", ["--version"]), jq: has("jq", ["--version"]), curl: has("curl", ["--version"]) };
if (!tools.curl) console.warn("container-credentials.test.ts: the Qdrant snapshot run is skipped: it needs curl");
if (!tools.nats || !tools.jq) console.warn("container-credentials.test.ts: the NATS run is skipped: it needs nats-server and jq (Debian: apt-get install nats-server jq)");

const scratch = mkdtempSync(join(tmpdir(), "nixos-stack-credentials-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const stack = (() => {
  const base = vpsStack();
  const containers = {
    kind: "containers", externalInterface: "ens3", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true,
    containers: [
      { role: "data", name: "data", address: "10.233.1.2", redis: {}, nats: {}, qdrant: {}, postgresql: { databases: ["graph"] } },
      { role: "app", name: "graph", address: "10.233.1.3", command: "/var/lib/graph/current/bin/graph" },
    ],
  };
  return validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, containers] } : h)) } as never);
})();
const tree = renderStack(stack);
const fileOf = (path: string) => tree.get(path)?.content ?? "";

/** The text of writeShellApplication `name` in a Nix file, as the builder writes it, each `${expr}` replaced by `values[expr]`. */
function script(nix: string, name: string, values: Record<string, string>): string {
  const match = new RegExp(`writeShellApplication \\{\\s*name = "${name}";[\\s\\S]*?text = ''([\\s\\S]*?)'';`).exec(nix);
  if (!match) throw new Error(`no writeShellApplication ${name}`);
  const text = match[1]!
    .replace(/''\$\{/g, "\u0000")
    .replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      if (!(expr in values)) throw new Error(`${name}: no value for the interpolation \${${expr}}`);
      return values[expr]!;
    })
    .replace(/\u0000/g, "${")
    .replace(/'''/g, "''");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return `#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n${lines.map((l) => l.slice(indent)).join("\n")}\n`;
}

/** A bin directory with dotenv-value (the generated one) on PATH. */
function binDir(): string {
  const bin = join(scratch, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "dotenv-value"), script(fileOf("modules/lib/dotenv-value.nix"), "dotenv-value", {}));
  chmodSync(join(bin, "dotenv-value"), 0o755);
  return bin;
}

const run = (file: string, env: Record<string, string> = {}) => spawnSync("bash", [file], { encoding: "utf8", env: { ...process.env, PATH: `${binDir()}:${process.env.PATH}`, ...env } });
const me = `${spawnSync("id", ["-un"], { encoding: "utf8" }).stdout.trim()}:${spawnSync("id", ["-gn"], { encoding: "utf8" }).stdout.trim()}`;

/** CONNECT with `token` (or none) and PING: NATS' answer. */
function natsAnswer(port: number, token: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let seen = "";
    socket.on("data", (d) => {
      seen += d.toString();
      if (seen.startsWith("INFO") && !seen.includes("\r\nsent")) {
        seen += "\r\nsent";
        socket.write(`CONNECT ${JSON.stringify({ verbose: false, ...(token === undefined ? {} : { auth_token: token }) })}\r\nPING\r\n`);
      }
      if (/PONG|-ERR/.test(seen)) {
        socket.end();
        resolve(seen.split("\r\nsent")[1]!.trim());
      }
    });
    socket.on("error", reject);
    setTimeout(() => reject(new Error(`no answer from NATS: ${seen}`)), 5000).unref();
  });
}

describe.runIf(tools.nats && tools.jq)("NATS' runtime configuration (nats-config)", () => {
  it("merges the generated settings with the token of the secret file, 0600, and the real nats-server then refuses a client without it", async () => {
    const dir = mkdtempSync(join(scratch, "nats-"));
    const port = await freePort();
    const settings = join(dir, "settings.json");
    writeFileSync(settings, JSON.stringify({ host: "127.0.0.1", port, server_name: "nats", jetstream: { store_dir: join(dir, "store"), max_mem: "64M", max_file: "64M" } }));
    const secret = join(dir, "secret");
    // a token with the characters JSON and a shell would trip over
    const token = `t0k"e\\n$x'y`;
    writeFileSync(secret, `REDIS_PASSWORD=abc\nNATS_TOKEN=${token}\n`);
    const out = join(dir, "nats.conf");
    const file = join(dir, "nats-config");
    writeFileSync(file, script(fileOf("modules/services/containers.nix"), "nats-config", {
      "lib.escapeShellArg secretFile": `'${secret}'`,
      natsRuntimeTemplate: `'${out}.XXXXXX'`,
      natsSettingsFile: settings,
      natsOwner: me,
      "lib.escapeShellArg natsRuntimeConfig": `'${out}'`,
    }));
    const r = run(file);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const conf = JSON.parse(readFileSync(out, "utf8"));
    expect(conf).toMatchObject({ port, host: "127.0.0.1", authorization: { token } });
    expect(readFileSync(settings, "utf8")).not.toContain("t0k");

    const server = spawn("nats-server", ["-c", out], { stdio: "ignore" });
    try {
      let answer = "";
      for (let i = 0; i < 50 && !answer; i++) answer = await natsAnswer(port, token).catch(async () => (await new Promise((r2) => setTimeout(r2, 100)), ""));
      expect(answer).toBe("PONG");
      expect(await natsAnswer(port, undefined)).toContain("-ERR 'Authorization Violation'");
      expect(await natsAnswer(port, "wrong")).toContain("-ERR 'Authorization Violation'");
    } finally {
      server.kill();
    }
  });

  it("fails naming the missing NATS_TOKEN line, and writes no configuration", () => {
    const dir = mkdtempSync(join(scratch, "nats-"));
    const secret = join(dir, "secret");
    writeFileSync(secret, "REDIS_PASSWORD=abc\n");
    writeFileSync(join(dir, "settings.json"), "{}");
    const out = join(dir, "nats.conf");
    const file = join(dir, "nats-config");
    writeFileSync(file, script(fileOf("modules/services/containers.nix"), "nats-config", {
      "lib.escapeShellArg secretFile": `'${secret}'`,
      natsRuntimeTemplate: `'${out}.XXXXXX'`,
      natsSettingsFile: join(dir, "settings.json"),
      natsOwner: me,
      "lib.escapeShellArg natsRuntimeConfig": `'${out}'`,
    }));
    const r = run(file);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${secret} has no NATS_TOKEN=... line`);
    expect(spawnSync("ls", [dir], { encoding: "utf8" }).stdout.trim().split("\n").sort()).toEqual(["nats-config", "secret", "settings.json"]);
  });
});

describe("Qdrant's API key (qdrant-api-key, qdrant-snapshot)", () => {
  const keyScript = (dir: string, secret: string) => {
    const file = join(dir, "qdrant-api-key");
    writeFileSync(file, script(fileOf("modules/services/containers.nix"), "qdrant-api-key", {
      "lib.escapeShellArg secretFile": `'${secret}'`,
      "lib.escapeShellArg qdrantKeyEnv": `'${join(dir, "env")}'`,
    }));
    return file;
  };

  it("writes QDRANT__SERVICE__API_KEY alone from the QDRANT_API_KEY line, and refuses a key an environment file or a header would mangle", () => {
    const dir = mkdtempSync(join(scratch, "qdrant-"));
    const secret = join(dir, "secret");
    writeFileSync(secret, "REDIS_PASSWORD=abc\nNATS_TOKEN=def\nQDRANT_API_KEY=0123abcdef\n");
    const ok = run(keyScript(dir, secret));
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(readFileSync(join(dir, "env"), "utf8")).toBe("QDRANT__SERVICE__API_KEY=0123abcdef\n");

    writeFileSync(secret, "QDRANT_API_KEY=a b\"c\n");
    rmSync(join(dir, "env"));
    const bad = run(keyScript(dir, secret));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`QDRANT_API_KEY in ${secret} may hold only letters, digits`);
    expect(() => statSync(join(dir, "env"))).toThrow();
  });

  it.runIf(tools.curl)("takes the snapshot with the api-key header read from a file, then removes the older snapshots", async () => {
    const dir = mkdtempSync(join(scratch, "qdrant-"));
    const snapshots = join(dir, "snapshots");
    mkdirSync(snapshots);
    writeFileSync(join(snapshots, "old.snapshot"), "");
    writeFileSync(join(snapshots, "old.snapshot.checksum"), "");
    const secret = join(dir, "secret");
    writeFileSync(secret, "QDRANT_API_KEY=0123abcdef\n");
    const seen: Array<{ method?: string; url?: string; key?: string | string[] }> = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, key: req.headers["api-key"] });
      writeFileSync(join(snapshots, "new.snapshot"), "");
      res.writeHead(req.headers["api-key"] === "0123abcdef" ? 200 : 401).end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    const file = join(dir, "qdrant-snapshot");
    // the old snapshots are older than the marker the script takes
    const old = new Date(Date.now() - 60_000);
    for (const f of ["old.snapshot", "old.snapshot.checksum"]) spawnSync("touch", ["-d", old.toISOString(), join(snapshots, f)]);
    writeFileSync(file, script(fileOf("modules/services/containers.nix"), "qdrant-snapshot", {
      qdrantSnapshotsDir: `'${snapshots}/'`,
      "lib.escapeShellArg secretFile": `'${secret}'`,
      qdrantSnapshotUrl: `'http://127.0.0.1:${port}/snapshots?wait=true'`,
    }));
    try {
      const child = spawn("bash", [file], { env: { ...process.env, PATH: `${binDir()}:${process.env.PATH}` } });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const status = await new Promise<number | null>((r) => child.on("close", r));
      expect(stderr).toBe("");
      expect(status).toBe(0);
    } finally {
      server.close();
    }
    expect(seen).toEqual([{ method: "POST", url: "/snapshots?wait=true", key: "0123abcdef" }]);
    expect(spawnSync("ls", [snapshots], { encoding: "utf8" }).stdout.trim()).toBe("new.snapshot");
    // the key reaches curl from a file: it is in no command line of the script
    expect(readFileSync(file, "utf8")).toMatch(/curl [^\n]*-H @"\$header"/);
  });
});

/** Debian's PostgreSQL server, run as its postgres user: needs root (setpriv, as the unit runs). */
const pgBin = ["17", "16", "15", "14"].map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => spawnSync(`${d}/postgres`, ["--version"]).status === 0);
const asRoot = process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status === 0;
const pgRuns = pgBin !== undefined && asRoot && has("psql", ["--version"]) && has("setpriv", ["--version"]);
if (!pgRuns) console.warn("container-credentials.test.ts: the PostgreSQL run is skipped: it needs root, a postgres user, Debian's postgresql server, psql and setpriv");

describe.runIf(pgRuns)("PostgreSQL's role passwords (postgresql-passwords)", () => {
  const pg = (args: string[], env: Record<string, string> = {}) => spawnSync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", ...args], { encoding: "utf8", env: { ...process.env, ...env } });

  it("sets each database role's password from its PG_PASSWORD_<DATABASE> line, through psql's stdin, unlogged, and fails naming a missing line", async () => {
    const root = mkdtempSync(join(tmpdir(), "nixos-stack-pg-"));
    try {
      chmodSync(root, 0o755);
      spawnSync("chown", ["postgres:postgres", root]);
      const data = join(root, "data");
      const log = join(root, "server.log");
      expect(pg([`${pgBin}/initdb`, "-D", data, "-U", "postgres", "--auth-local=peer", "--auth-host=scram-sha-256"]).status).toBe(0);
      const port = await freePort();
      // every statement would be logged: the step's own session must not be
      const started = pg([`${pgBin}/pg_ctl`, "-D", data, "-l", log, "-w", "-o", `-k ${root} -p ${port} -c listen_addresses=127.0.0.1 -c log_statement=all`, "start"]);
      expect(started.status, started.stderr).toBe(0);
      try {
        const env = { PGHOST: root };
        for (const role of ["graph", "workflow"]) expect(pg(["psql", "-X", "-q", `--port=${port}`, "-d", "postgres", "-c", `CREATE ROLE ${role} LOGIN`], env).status).toBe(0);
        const passwords = { graph: `it's a \\"test\\" $x`, workflow: "plain0123" };
        const secret = join(root, "secret");
        writeFileSync(secret, `REDIS_PASSWORD=abc\nPG_PASSWORD_GRAPH=${passwords.graph}\nPG_PASSWORD_WORKFLOW=${passwords.workflow}\n`);
        const file = join(root, "postgresql-passwords");
        const write = (roles: string) =>
          writeFileSync(file, script(fileOf("modules/services/containers.nix"), "postgresql-passwords", { "lib.escapeShellArg secretFile": `'${secret}'`, pgRoles: roles, pgPort: String(port) }));
        write("graph workflow");
        const r = run(file, env);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        for (const [role, password] of Object.entries(passwords)) {
          const login = spawnSync("psql", ["-X", "-tA", "-h", "127.0.0.1", `--port=${port}`, "-U", role, "-d", "postgres", "-c", "SELECT current_user"], { encoding: "utf8", env: { ...process.env, PGPASSWORD: password } });
          expect(login.stdout.trim(), login.stderr).toBe(role);
        }
        const wrong = spawnSync("psql", ["-X", "-tA", "-h", "127.0.0.1", `--port=${port}`, "-U", "graph", "-d", "postgres", "-c", "SELECT 1"], { encoding: "utf8", env: { ...process.env, PGPASSWORD: "wrong" } });
        expect(wrong.stderr).toContain("password authentication failed");
        // the server logs every other session's statements, not the step's
        expect(readFileSync(log, "utf8")).toContain("CREATE ROLE workflow LOGIN");
        expect(readFileSync(log, "utf8")).not.toContain("plain0123");

        write("graph missing");
        const missing = run(file, env);
        expect(missing.status).not.toBe(0);
        expect(missing.stderr).toContain(`${secret} has no PG_PASSWORD_MISSING=... line`);
      } finally {
        pg([`${pgBin}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
