# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The sandbox every system service this repo generates starts from: systemd.exec(5) and
# systemd.resource-control(5). A service module merges it into its unit:
#
#   serviceConfig = hardening { unixSockets = true; } // { ExecStart = ...; };
#   serviceConfig = hardening { jit = true; } // { ... };   # a Node.js (or other JIT) program
#
# Value shapes follow nixpkgs' own hardened modules (nixos/modules/services/networking/nats.nix,
# nixos/modules/services/search/qdrant.nix): booleans, ProtectSystem as the string "strict",
# lists for RestrictAddressFamilies and SystemCallFilter (one directive per element).
{ lib }:
{
  # The unit runs a JIT runtime (Node.js/V8; also Deno, Bun, the JVM, .NET): it compiles code at
  # run time, and its start-up and standard library call what a JIT needs:
  # - writable+executable memory: MemoryDenyWriteExecute=true makes V8 abort at start
  #   (systemd.exec(5): incompatible with JIT engines);
  # - memory protection keys: Node >= 18 calls pkey_alloc at start (`strace node -e 0`), systemd's
  #   @pkey group, which @system-service leaves out (nixpkgs PR #246123, matrix-appservice-irc).
  #   nixos/modules/services/home-automation/zwave-js-ui.nix, a Node service, does all three:
  #   MemoryDenyWriteExecute = false, "@system-service @pkey", "~@privileged @resources", "@chown";
  # - the @chown group, which ~@privileged removes and libuv's fs.copyFile calls (fchown of the
  #   copy; nixpkgs issue #379850). CapabilityBoundingSet="" still keeps it to chown(2)'s
  #   unprivileged uses (the unit's own files, its own groups).
  jit ? false,
  # on unless the unit runs a JIT (above); a caller may still decide it on its own
  memoryDenyWriteExecute ? !jit,
  # AF_UNIX for services that talk to local sockets (PostgreSQL's /run/postgresql, D-Bus).
  # Logging to the journal needs no AF_UNIX: systemd hands stdout over already connected, and
  # socketpair(2) (a child process's piped stdio) is unaffected (systemd.exec(5),
  # RestrictAddressFamilies=: it filters socket(2) only).
  unixSockets ? false,
  # ProcSubset=pid hides /proc's system files (cpuinfo, stat, meminfo). Node.js reads them for
  # os.cpus() and os.totalmem() (libuv), which worker pools size themselves from: off for Node.
  hideSystemProc ? true,
}:
{
  PrivateTmp = true;
  ProtectSystem = "strict";
  ProtectHome = true;
  NoNewPrivileges = true;
  PrivateDevices = true;
  RestrictAddressFamilies = [ "AF_INET" "AF_INET6" ] ++ lib.optional unixSockets "AF_UNIX";
  # An allow-list read in order (systemd.exec(5), SystemCallFilter=): a later entry overrides an
  # earlier one, so "@chown" after "~@privileged" allows @chown again.
  SystemCallFilter = [ "@system-service" ] ++ lib.optional jit "@pkey" ++ [ "~@privileged" ] ++ lib.optional jit "@chown";
  # A call outside the list fails with EPERM instead of killing the process with SIGSYS: the call
  # still does not happen, and a program that copes with a refused call (as V8 does without
  # protection keys) keeps running and can log it. systemd's own units do the same
  # (units/systemd-resolved.service.in).
  SystemCallErrorNumber = "EPERM";
  SystemCallArchitectures = "native";
  CapabilityBoundingSet = "";
  AmbientCapabilities = "";
  ProtectKernelTunables = true;
  ProtectKernelModules = true;
  ProtectKernelLogs = true;
  ProtectControlGroups = true;
  ProtectClock = true;
  ProtectHostname = true;
  ProtectProc = "invisible";
  RestrictNamespaces = true;
  RestrictRealtime = true;
  RestrictSUIDSGID = true;
  LockPersonality = true;
  RemoveIPC = true;
  UMask = "0077";
  MemoryDenyWriteExecute = memoryDenyWriteExecute;
}
// lib.optionalAttrs hideSystemProc { ProcSubset = "pid"; }
