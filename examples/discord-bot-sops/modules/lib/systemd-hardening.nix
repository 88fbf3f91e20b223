# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The sandbox every system service this repo generates starts from: systemd.exec(5) and
# systemd.resource-control(5). A service module merges it into its unit:
#
#   serviceConfig = hardening { unixSockets = true; } // { ExecStart = ...; };
#
# Value shapes follow nixpkgs' own hardened modules (nixos/modules/services/networking/nats.nix,
# nixos/modules/services/search/qdrant.nix): booleans, ProtectSystem as the string "strict",
# lists for RestrictAddressFamilies and SystemCallFilter (one directive per element).
{ lib }:
{
  # Node.js (V8) and other JITs write executable memory; MemoryDenyWriteExecute=true makes
  # them crash at start. Leave it off for those, on for everything else.
  memoryDenyWriteExecute ? true,
  # AF_UNIX for services that talk to local sockets (PostgreSQL's /run/postgresql, D-Bus).
  # Logging to the journal needs no AF_UNIX: systemd hands stdout over already connected.
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
  SystemCallFilter = [ "@system-service" "~@privileged" ];
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
