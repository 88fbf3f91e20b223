/**
 * A read-only npm registry on 127.0.0.1 for the publish test: it serves the packuments and
 * tarballs of a fixed set of packages (our packed packages and the third-party versions pnpm
 * installed), so npm installs and `npm create` run as they would against registry.npmjs.org,
 * without sending anything off this machine. Requests for anything else get a 404 and are
 * recorded, so a failing install can say which package was missing.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { PackageManifest } from "./npm-closure.js";

export interface RegistryPackage {
  manifest: PackageManifest;
  /** A .tgz whose entries are under package/, as npm pack writes it. */
  tarball: string;
}

/** Packs a package directory the way the registry has it (entries under package/), with GNU tar. */
export function tarDirectory(dir: string, out: string): string {
  execFileSync("tar", ["-czf", out, "--hard-dereference", "--owner=0", "--group=0", "--numeric-owner", "--exclude=./node_modules", "--transform", "s,^\\.,package,", "-C", dir, "."]);
  return out;
}

/** The package.json inside a packed tarball (what the registry would show for that version). */
export function manifestOfTarball(tarball: string): PackageManifest {
  return JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })) as PackageManifest;
}

export class LocalRegistry {
  /** Paths requested that the registry does not have. */
  readonly misses: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(packages: readonly RegistryPackage[]): Promise<LocalRegistry> {
    const files = new Map<string, string>(); // tarball file name -> path
    const docs = new Map<string, { name: string; "dist-tags": Record<string, string>; versions: Record<string, unknown> }>();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;

    for (const { manifest, tarball } of packages) {
      const bytes = readFileSync(tarball);
      const file = `${manifest.name.replace("/", "__")}-${manifest.version}.tgz`;
      files.set(file, tarball);
      const doc = docs.get(manifest.name) ?? { name: manifest.name, "dist-tags": {}, versions: {} };
      doc.versions[manifest.version] = {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          tarball: `${url}-/tarballs/${file}`,
          integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
          shasum: createHash("sha1").update(bytes).digest("hex"),
        },
      };
      // latest: the highest version served (enough for the few packages served in two versions)
      const latest = doc["dist-tags"].latest;
      if (!latest || compareVersions(manifest.version, latest) > 0) doc["dist-tags"].latest = manifest.version;
      docs.set(manifest.name, doc);
    }

    const registry = new LocalRegistry(server, url);
    server.on("request", (req, res) => {
      const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
      const tarball = path.startsWith("/-/tarballs/") ? files.get(path.slice("/-/tarballs/".length)) : undefined;
      const doc = docs.get(path.slice(1));
      if (req.method === "GET" && tarball) {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(readFileSync(tarball));
      } else if (req.method === "GET" && doc) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(doc));
      } else {
        registry.misses.push(`${req.method} ${path}`);
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "not found" }));
      }
    });
    return registry;
  }

  /** Environment for npm: this registry, a fresh cache and user config under `home`, no network extras. */
  npmEnv(home: string): Record<string, string> {
    return {
      HOME: home,
      npm_config_registry: this.url,
      npm_config_cache: join(home, ".npm"),
      npm_config_userconfig: join(home, ".npmrc"),
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
      npm_config_loglevel: "error",
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Orders plain x.y.z versions (prerelease tags compare as text). */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? "", pb[i] ?? ""];
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff) return diff;
  }
  return 0;
}
