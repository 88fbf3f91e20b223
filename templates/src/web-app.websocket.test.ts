/**
 * A web-app's WebSockets reach its backend: the instance's virtual host, read from the EVALUATED
 * configuration (both option surfaces), is written out as NixOS's nginx module writes a location
 * (nixos/modules/services/web-servers/nginx/default.nix, mkLocations: proxy_pass, the
 * proxyWebsockets headers, try_files, root, then extraConfig verbatim; the http block's
 * `map $http_upgrade $connection_upgrade`), served by a real nginx on 127.0.0.1 in front of a
 * backend that answers the handshake, and asked by a WebSocket client at the paths of frontend
 * files (where try_files alone answers with the file), at `/` and at the backend's own paths.
 * Without nginx on this machine (Debian: `apt-get install nginx-light`) the served half is skipped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { evalHost, FlakeRepos, offline } from "./test-support/flake-repo.js";
import { freePort } from "./test-support/free-port.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("web-app-ws");
const HOST = "vps-x86";
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => spawnSync(p, ["-v"]).status === 0);

interface Location {
  proxyPass: string | null;
  proxyWebsockets: boolean;
  tryFiles: string | null;
  root: string | null;
  extraConfig: string;
}

function schoolStack(branch: SurfaceBranch, port: number): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const app = { kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, instances: [{ name: "class-9a", port, subdomain: "9a" }] };
  return validStack({ ...base, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [app] } : h)) } as never);
}

/** The vhost's locations as evaluated, in the module's order (location options' priority, then name: sortProperties). */
function evaluatedLocations(branch: SurfaceBranch, port: number): Record<string, Location> {
  const dir = repos.create(schoolStack(branch, port));
  return evalHost(dir, branch, HOST, `h: builtins.mapAttrs (_: l: { inherit (l) proxyPass proxyWebsockets tryFiles root extraConfig; }) h.config.services.nginx.virtualHosts."9a.school.example.org".locations`);
}

/** One location block as mkLocations writes it (the directives this kind uses, in upstream's order). */
function locationBlock(name: string, l: Location, root: string): string {
  return [
    `location ${name} {`,
    l.proxyPass !== null ? `proxy_pass ${l.proxyPass};` : "",
    l.proxyWebsockets ? "proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection $connection_upgrade;" : "",
    l.tryFiles !== null ? `try_files ${l.tryFiles};` : "",
    // the evaluated root is the server's /var/lib/<app>/static; here a directory of the test's
    l.root !== null ? `root ${root};` : "",
    l.extraConfig,
    "}",
  ].join("\n");
}

function nginxConf(work: string, port: number, locations: Record<string, Location>, root: string): string {
  return `
pid ${work}/nginx.pid;
error_log ${work}/error.log;
daemon off;
events {}
http {
  access_log off;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fastcgi; uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  # nginx/default.nix: "$connection_upgrade is used for websocket proxying"
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  server {
    listen 127.0.0.1:${port};
    ${Object.entries(locations).map(([name, l]) => locationBlock(name, l, root)).join("\n")}
  }
}
`;
}

/** The backend: answers a WebSocket handshake with 101 (RFC 6455 §4.2.2) and any other request with who it is. */
function backend(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("backend");
  });
  server.on("upgrade", (req, socket) => {
    const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nX-Answered-By: backend\r\n\r\n`);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** A WebSocket handshake (or a plain GET): the status and who answered. */
function ask(port: number, path: string, websocket: boolean): Promise<{ status: number; body: string; answeredBy?: string }> {
  const headers: Record<string, string> = websocket ? { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } : {};
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "", answeredBy: String(res.headers["x-answered-by"]) });
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!offline.ok).each(SURFACE_BRANCHES)("web-app WebSockets on the %s option surface", (branch) => {
  it("the vhost's `/` sends an Upgrade request to @backend (which proxies WebSockets) before try_files can answer it", async () => {
    const locations = evaluatedLocations(branch, await freePort());
    expect(locations["@backend"]).toMatchObject({ proxyWebsockets: true });
    expect(locations["/"]!.tryFiles).toBe("$uri @backend");
    expect(locations["/"]!.extraConfig).toMatch(/if \(\$http_upgrade ~\* "\^websocket\$"\) \{\s*return 418;\s*\}/);
    expect(locations["/"]!.extraConfig).toContain("error_page 418 = @backend;");
  }, 120_000);

  describe.skipIf(NGINX === undefined)("served by nginx on 127.0.0.1", () => {
    const work = mkdtempSync(join(tmpdir(), "nixos-stack-ws-nginx-"));
    let nginx: ChildProcess | undefined;
    let server: Server | undefined;
    let front = 0;
    beforeAll(async () => {
      const backPort = await freePort();
      front = await freePort();
      const root = join(work, "static");
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, "index.html"), "<!doctype html><title>frontend</title>\n");
      writeFileSync(join(root, "app.js"), "// frontend\n");
      // nginx's workers may run as another user when the test runs as root
      chmodSync(work, 0o755);
      server = await backend(backPort);
      writeFileSync(join(work, "nginx.conf"), nginxConf(work, front, evaluatedLocations(branch, backPort), root));
      const test = spawnSync(NGINX!, ["-t", "-p", work, "-c", join(work, "nginx.conf")], { encoding: "utf8" });
      if (test.status !== 0) throw new Error(`nginx -t: ${test.stderr}`);
      nginx = spawn(NGINX!, ["-p", work, "-c", join(work, "nginx.conf")], { stdio: "ignore" });
      for (let i = 0; i < 100; i++) {
        try {
          await ask(front, "/", false);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error("nginx did not start");
    }, 120_000);
    afterAll(async () => {
      if (nginx?.pid !== undefined) nginx.kill("SIGTERM");
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      rmSync(work, { recursive: true, force: true });
    });

    it("a WebSocket handshake at a path the frontend has a file for reaches the backend (101), while a plain GET there still gets the file", async () => {
      for (const path of ["/index.html", "/app.js"]) expect(await ask(front, path, true), path).toEqual({ status: 101, body: "", answeredBy: "backend" });
      expect(await ask(front, "/index.html", false)).toMatchObject({ status: 200, body: expect.stringContaining("<title>frontend</title>") });
      expect(await ask(front, "/app.js", false)).toMatchObject({ status: 200, body: "// frontend\n" });
    });

    it("at / and at the backend's own paths too; a plain request there reaches the backend as before", async () => {
      for (const path of ["/", "/socket", "/socket.io/?EIO=4&transport=websocket"]) expect(await ask(front, path, true), path).toEqual({ status: 101, body: "", answeredBy: "backend" });
      // try_files' `$uri` tests for a file: / (a directory) and unknown paths go to @backend
      expect(await ask(front, "/", false)).toMatchObject({ status: 200, body: "backend" });
      expect(await ask(front, "/api/rooms", false)).toMatchObject({ status: 200, body: "backend" });
    });
  });
});

afterAll(() => repos.cleanup());
