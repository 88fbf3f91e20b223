/**
 * A throwaway OpenSSH server on 127.0.0.1, ::1, 127.0.0.2 and 127.0.0.3 for the deploy-script tests, as close to
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
 * - A login that needs sudo with a password (`sudo: "password"`): inside the namespace only,
 *   /etc/passwd gets `alice` (uid 0, so the session can read the test's files; home under the
 *   test's directory), and a `sudo` stand-in comes first on the PATH that behaves as sudo does
 *   for a user without NOPASSWD: `-S` reads the password from stdin (`-p ''` or `--prompt=`
 *   silences the prompt), `-n` fails, and otherwise it asks on /dev/tty, failing with sudo's
 *   own message when the session has no terminal. It checks the password against
 *   `sudoPassword`, records each call, and at that moment looks for the password in every
 *   process's argv and environment on this machine (the deploying side runs here too).
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

/** Where the server listens: loopback only; 127.0.0.2 and .3 (Linux routes all of 127/8 to lo) for fleets whose targets need addresses of their own. */
export const LISTEN = ["127.0.0.1", "::1", "127.0.0.2", "127.0.0.3"] as const;

export interface RemoteCall {
  args: string[];
  flakePresent: boolean;
}

/** One call of the sudo stand-in. */
export interface SudoCall {
  /** "ok", "wrong password", "no terminal" or "non-interactive". */
  result: string;
  /** /proc files (cmdline or environ) that held the password while sudo ran; none, or it leaked. */
  leaks: string[];
  args: string[];
}

/** The password the sudo stand-in accepts: a space, quotes and a `$` so quoting mistakes show. */
export const SUDO_PASSWORD = `pw ${process.pid}-'"$HOME`;

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
    const passwordFile = join(dir, "sudo-password");
    writeFileSync(passwordFile, `${SUDO_PASSWORD}\n`, { mode: 0o600 });
    writeFileSync(join(remoteBin, "sudo"), sudoStandIn(bash, passwordFile, join(dir, "sudo.calls")));
    chmodSync(join(remoteBin, "sudo"), 0o755);

    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")));
    writeFileSync(
      join(dir, "sshd_config"),
      [
        ...LISTEN.map((a) => `ListenAddress ${a}`),
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
        // the login that needs sudo: an alias of root in this namespace's /etc only
        'mkdir -p "$d/alice-home"',
        `printf 'alice:x:0:0:sudo test:%s:${bash}\\n' "$d/alice-home" >>/etc/passwd`,
        // a safety net: sshd never outlives the test run by much, even if the runner dies before stop()
        `exec timeout 300 ${SSHD} -D -e -f "$d/sshd_config"`,
        "",
      ].join("\n"),
    );
    chmodSync(launcher, 0o755);

    // the client side: ssh with the test's config, arguments passed through
    const clientBin = join(dir, "client-bin");
    const hostKey = readFileSync(join(dir, "host_key.pub"), "utf8").trim();
    writeFileSync(join(dir, "known_hosts"), LISTEN.map((a) => `[${a}]:${port} ${hostKey}\n`).join(""));
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
        if (LISTEN.every((a) => stderr.includes(`Server listening on ${a} port`))) {
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
    writeFileSync(join(this.dir, "sudo.calls"), "");
  }

  /** The calls the sudo stand-in recorded (reset with resetRebuildCalls). */
  sudoCalls(): SudoCall[] {
    const file = join(this.dir, "sudo.calls");
    if (!existsSync(file)) return [];
    const fields = readFileSync(file, "utf8").split("\0");
    const calls: SudoCall[] = [];
    for (let i = 0; i + 2 < fields.length; ) {
      const count = Number(fields[i + 2]);
      calls.push({ result: fields[i]!, leaks: fields[i + 1]!.split(" ").filter(Boolean), args: fields.slice(i + 3, i + 3 + count) });
      i += 3 + count;
    }
    return calls;
  }

  /** The home of the `alice` login on the server (where a non-root deploy copies the repo). */
  get aliceHome(): string {
    return join(this.dir, "alice-home");
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

/** The sudo stand-in (see the header): bash, builtins and grep only. */
function sudoStandIn(bash: string, passwordFile: string, log: string): string {
  return [
    `#!${bash}`,
    `log=${JSON.stringify(log)}`,
    "from_stdin=0 non_interactive=0",
    "while [[ $# -gt 0 ]]; do",
    "  case \"$1\" in",
    "    -S | --stdin) from_stdin=1; shift ;;",
    "    -n | --non-interactive) non_interactive=1; shift ;;",
    "    -p) shift 2 ;;",
    "    --prompt=*) shift ;;",
    "    --) shift; break ;;",
    "    -*) echo \"sudo stand-in: unknown option $1\" >&2; exit 1 ;;",
    "    *) break ;;",
    "  esac",
    "done",
    // what the machine shows at this moment: any process whose argv or environment holds the password
    `leaks="$(grep -alF -f ${JSON.stringify(passwordFile)} /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\\n' ' ')"`,
    "record() { printf '%s\\0' \"$1\" \"$leaks\" \"$(($# - 1))\" \"${@:2}\" >>\"$log\"; }",
    'if [[ "$from_stdin" == 1 ]]; then',
    '  IFS= read -r given || true',
    'elif [[ "$non_interactive" == 1 ]]; then',
    '  record non-interactive "$@"; echo "sudo: a password is required" >&2; exit 1',
    "elif ! { exec 3<>/dev/tty; } 2>/dev/null; then",
    '  record "no terminal" "$@"',
    '  echo "sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper" >&2',
    "  exit 1",
    "else",
    "  printf '[sudo] password for alice: ' >&3",
    "  IFS= read -r -s -u 3 given || true",
    "  printf '\\n' >&3",
    "fi",
    `IFS= read -r expected <${JSON.stringify(passwordFile)}`,
    'if [[ "$given" != "$expected" ]]; then',
    '  record "wrong password" "$@"; echo "sudo: 1 incorrect password attempt" >&2; exit 1',
    "fi",
    'record ok "$@"',
    'exec "$@"',
    "",
  ].join("\n");
}
