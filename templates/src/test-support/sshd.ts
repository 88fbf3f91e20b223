/**
 * A throwaway OpenSSH server on 127.0.0.1 and ::1 for the deploy-script tests, as close to
 * the real target as this machine allows without touching it:
 *
 * - update.sh writes to root@HOST:/etc/nixos/. So that the test machine's /etc stays as it
 *   is, sshd runs in its own mount namespace (`unshare --mount`) with an overlay mounted on
 *   /etc: it and every session it starts see the real /etc, but what they write there lands
 *   in `etcUpper` (under the test's temporary directory) and vanishes with the namespace.
 *   /run is overlaid the same way for sshd's privilege-separation directory (/run/sshd).
 * - `nixos-rebuild` does not exist here: a recording stand-in comes first on the sessions'
 *   PATH (sshd_config `SetEnv PATH=...`); it logs its argv and whether /etc/nixos/flake.nix
 *   was there when it ran.
 * - The client side: update.sh runs plain `ssh -p PORT ...` and `rsync -e "ssh -p PORT ..."`.
 *   The `ssh` first on the test PATH is a wrapper that adds only `-F <test ssh_config>`
 *   (the test key, the test known_hosts, BatchMode) and execs the real ssh; arguments are
 *   passed through unchanged, so the host, port and remote command are the script's own.
 *   `keylessClientBin` holds the same wrapper without the key and without an agent: there
 *   the login succeeds only with the key a script passes itself (`-i clientKey`).
 *
 * Needs root, unshare(1), overlayfs and /usr/sbin/sshd; `start` returns a reason instead
 * of a server when one of them is missing, for the caller to skip with.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { whichReal } from "./deploy-repo.js";
import { freePort } from "./free-port.js";

export const SSHD = "/usr/sbin/sshd";

export interface RemoteCall {
  args: string[];
  flakePresent: boolean;
}

export class TestSshd {
  private constructor(
    readonly dir: string,
    readonly port: number,
    /** Directory to put first on the client PATH: holds the `ssh` wrapper. */
    readonly clientBin: string,
    /** Like clientBin, but ssh offers no key of its own: only one given with -i logs in. */
    readonly keylessClientBin: string,
    /** The private key the server accepts (for root, from authorized_keys). */
    readonly clientKey: string,
    /** What the server's sessions wrote under /etc (the overlay's upper layer). */
    readonly etcUpper: string,
    private readonly proc: ChildProcess,
    private readonly stderr: () => string,
  ) {}

  /** Starts the server; resolves to a reason string when it cannot run here. */
  static async start(dir: string): Promise<TestSshd | string> {
    if (process.getuid?.() !== 0) return "not root: sshd and the mount namespace need root";
    if (!existsSync(SSHD)) return `${SSHD} not found (Debian package openssh-server)`;
    for (const tool of ["unshare", "mount", "timeout", "ssh", "ssh-keygen", "rsync"]) {
      if (spawnSync("/bin/sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} not found`;
    }
    mkdirSync(dir, { recursive: true });
    const keygen = (file: string) => spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", join(dir, file)], { encoding: "utf8" });
    for (const key of ["host_key", "client_key"]) {
      const r = keygen(key);
      if (r.status !== 0) return `ssh-keygen failed: ${r.stderr}`;
    }
    const port = await freePort();
    const bash = whichReal("bash");

    // the remote side: a nixos-rebuild stand-in first on the sessions' PATH
    const remoteBin = join(dir, "remote-bin");
    mkdirSync(remoteBin);
    const remoteLog = join(dir, "nixos-rebuild.calls");
    writeFileSync(
      join(remoteBin, "nixos-rebuild"),
      `#!${bash}\nif [[ -f /etc/nixos/flake.nix ]]; then f=1; else f=0; fi\nprintf '%s\\0' "$f" "$#" "$@" >>${JSON.stringify(remoteLog)}\n`,
    );
    chmodSync(join(remoteBin, "nixos-rebuild"), 0o755);

    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")));
    writeFileSync(
      join(dir, "sshd_config"),
      [
        "ListenAddress 127.0.0.1",
        "ListenAddress ::1",
        `Port ${port}`,
        `HostKey ${join(dir, "host_key")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        "StrictModes no",
        "UsePAM no",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        `SetEnv PATH=${remoteBin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        "LogLevel VERBOSE",
        "",
      ].join("\n"),
    );

    // the namespace: overlays on /etc and /run, then sshd in the foreground
    const etcUpper = join(dir, "etc-upper");
    const launcher = join(dir, "in-namespace.sh");
    writeFileSync(
      launcher,
      [
        `#!${bash}`,
        "set -euo pipefail",
        `d=${JSON.stringify(dir)}`,
        'mkdir -p "$d/etc-upper" "$d/etc-work" "$d/run-upper" "$d/run-work"',
        'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$d/etc-upper,workdir=$d/etc-work" /etc',
        'mount -t overlay overlay -o "lowerdir=/run,upperdir=$d/run-upper,workdir=$d/run-work" /run',
        "mkdir -p -m 755 /run/sshd",
        // a safety net: sshd never outlives the test run by much, even if the runner dies before stop()
        `exec timeout 300 ${SSHD} -D -e -f "$d/sshd_config"`,
        "",
      ].join("\n"),
    );
    chmodSync(launcher, 0o755);

    // the client side: ssh with the test's config, arguments passed through
    const clientBin = join(dir, "client-bin");
    const hostKey = readFileSync(join(dir, "host_key.pub"), "utf8").trim();
    writeFileSync(join(dir, "known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n[::1]:${port} ${hostKey}\n`);
    const clientConfig = (identity: string[]) =>
      [
        "Host *",
        ...identity,
        "  IdentitiesOnly yes",
        "  IdentityAgent none",
        `  UserKnownHostsFile ${join(dir, "known_hosts")}`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "  BatchMode yes",
        "  LogLevel ERROR",
        "",
      ].join("\n");
    const sshWrapper = (bin: string, config: string) => {
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, "ssh"), `#!${bash}\nexec ${whichReal("ssh")} -F ${JSON.stringify(config)} "$@"\n`);
      chmodSync(join(bin, "ssh"), 0o755);
    };
    writeFileSync(join(dir, "ssh_config"), clientConfig([`  IdentityFile ${join(dir, "client_key")}`]));
    sshWrapper(clientBin, join(dir, "ssh_config"));
    // an IdentityFile that does not exist (ssh skips it) keeps ssh from trying the default keys of
    // the user running the tests (ssh reads ~/.ssh/id_* from the passwd entry, not $HOME): only -i's
    writeFileSync(join(dir, "ssh_config_keyless"), clientConfig([`  IdentityFile ${join(dir, "no-such-key")}`]));
    const keylessClientBin = join(dir, "client-bin-keyless");
    sshWrapper(keylessClientBin, join(dir, "ssh_config_keyless"));

    let stderr = "";
    const proc = spawn(whichReal("unshare"), ["--mount", "--propagation", "private", launcher], { stdio: ["ignore", "ignore", "pipe"] });
    proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const check = () => {
        if (/Server listening on 127\.0\.0\.1 port/.test(stderr) && /Server listening on ::1 port/.test(stderr)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      proc.stderr!.on("data", check);
      proc.on("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    const server = new TestSshd(dir, port, clientBin, keylessClientBin, join(dir, "client_key"), etcUpper, proc, () => stderr);
    if (!ready) {
      await server.stop();
      return `sshd did not start: ${stderr.trim() || "no output"}`;
    }
    return server;
  }

  /** The server's log so far (for failure messages). */
  log(): string {
    return this.stderr();
  }

  /** Runs a command as root on the server (through the same ssh wrapper). */
  remote(command: string, host = "127.0.0.1"): string {
    const r = spawnSync(join(this.clientBin, "ssh"), ["-p", String(this.port), `root@${host}`, command], { encoding: "utf8", timeout: 15_000 });
    if (r.status !== 0) throw new Error(`remote command failed (${r.status}): ${command}\n${r.stderr}\nsshd:\n${this.log()}`);
    return r.stdout;
  }

  /** The calls the nixos-rebuild stand-in recorded. */
  rebuildCalls(): RemoteCall[] {
    const file = join(this.dir, "nixos-rebuild.calls");
    if (!existsSync(file)) return [];
    const fields = readFileSync(file, "utf8").split("\0");
    const calls: RemoteCall[] = [];
    for (let i = 0; i + 1 < fields.length; ) {
      const count = Number(fields[i + 1]);
      calls.push({ flakePresent: fields[i] === "1", args: fields.slice(i + 2, i + 2 + count) });
      i += 2 + count;
    }
    return calls;
  }

  resetRebuildCalls(): void {
    writeFileSync(join(this.dir, "nixos-rebuild.calls"), "");
  }

  /** Stops sshd (the namespace and its overlays go with it). */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    this.proc.kill("SIGTERM");
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([exited, timeout]);
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
  }
}
