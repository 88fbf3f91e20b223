/**
 * The SSH port has one source, the manifest: modules/security.nix declares the option without a
 * default of its own, and sshd listens on whatever the host sets. Evaluated with the real module
 * system (the nixpkgs lib: NIXPKGS_LIB, else the pinned tarball through the Nix store).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { nix } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { offlineFlakeCheck } from "./test-support/offline-inputs.js";
import { vpsStack } from "./test-support/render-to-disk.js";

const lib = offlineFlakeCheck();
const LIB = lib.ok ? lib.path : "";
const dir = mkdtempSync(join(tmpdir(), "nixos-stack-sshport-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** security.nix alone, the NixOS options it sets stubbed as free-form attrsets; `sshPort` as a host would set it. */
function evalSecurityModule(sshPort: number | null): unknown {
  const expr = `
    let
      lib = import (/. + ${nix(`${LIB}/lib`)});
      stubs = { options = lib.genAttrs [ "services" "networking" "system" "systemd" ] (_: lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; }); };
      hostSetting = lib.optional (${sshPort ?? "null"} != null) { stack.security.sshPort = ${sshPort ?? "null"}; };
      m = lib.evalModules { modules = [ ./security.nix stubs ] ++ hostSetting; specialArgs = { inherit lib; }; };
      opt = m.options.stack.security.sshPort;
    in { defined = opt.isDefined; ports = if opt.isDefined then m.config.services.openssh.ports else null; }`;
  return JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { cwd: dir, encoding: "utf8" }));
}

it.skipIf(!lib.ok)("security.nix has no SSH port of its own: sshd listens on the port the manifest sets", () => {
  const tree = renderStack(vpsStack({ sshPort: 2200 }));
  writeFileSync(join(dir, "security.nix"), tree.get("modules/security.nix")!.content);
  expect(evalSecurityModule(null)).toEqual({ defined: false, ports: null });
  expect(evalSecurityModule(2200)).toEqual({ defined: true, ports: [2200] });
  // and every host sets it, from the manifest
  expect(tree.get("hosts/vps-x86/default.nix")!.content).toMatch(/security = \{\s+autoUpgrade = true;\s+sshPort = 2200;/);
  expect(tree.get("hosts/vps-arm/default.nix")!.content).toMatch(/security = \{\s+autoUpgrade = true;\s+sshPort = 2200;/);
});
