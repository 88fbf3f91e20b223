/**
 * option-surface/monitoring-shared.nix declares nginx, ACME and tmpfiles options by type only, so
 * that it merges with another kind's full declaration of the same options (lib/modules.nix
 * mergeOptionDecls: at most one declaration may carry a default or a description). Evaluated with
 * the real lib against a full declaration shaped like upstream's (vhost and location submodules,
 * acme.defaults a submodule): both kinds' definitions land, defaults come from the full one.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineFlakeCheck, STUB_INPUTS } from "./test-support/offline-inputs.js";

const offline = offlineFlakeCheck();
const SHARED = join(STUB_INPUTS, "nixpkgs/option-surface/monitoring-shared.nix");

const FULL = `{ lib, ... }: let t = lib.types; opt = type: default: lib.mkOption { inherit type default; description = "full"; }; in {
  options.services.nginx = {
    enable = opt t.bool false;
    recommendedProxySettings = opt t.bool false;
    recommendedTlsSettings = opt t.bool false;
    virtualHosts = opt (t.attrsOf (t.submodule ({ name, ... }: {
      options.enableACME = opt t.bool false;
      options.forceSSL = opt t.bool false;
      options.serverName = opt t.str name;
      options.locations = opt (t.attrsOf (t.submodule {
        options.proxyPass = opt (t.nullOr t.str) null;
        options.proxyWebsockets = opt t.bool false;
        options.root = opt (t.nullOr t.str) null;
      })) { };
    }))) { };
  };
  options.security.acme.acceptTerms = opt t.bool false;
  options.security.acme.defaults = opt (t.submodule { options.email = opt (t.nullOr t.str) null; options.server = opt (t.nullOr t.str) null; }) { };
  options.systemd.tmpfiles.rules = opt (t.listOf t.str) [ ];
  options.assertions = opt (t.listOf t.unspecified) [ ];
}`;

function evalWith(lib: string, modules: string[]) {
  const expr = `let lib = import ${lib}/lib; r = lib.evalModules { modules = [ ${modules.join(" ")} ]; }; in { nginx = r.config.services.nginx; acme = r.config.security.acme; rules = r.config.systemd.tmpfiles.rules; failed = map (a: a.message) (builtins.filter (a: !a.assertion) r.config.assertions); }`;
  return JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

describe.runIf(offline.ok)("the type-only nginx/ACME/tmpfiles declarations", () => {
  it("merge with a full declaration of the same options, each kind's definitions kept", () => {
    if (!offline.ok) throw new Error(offline.reason);
    const ours = `{ services.nginx.enable = true; services.nginx.virtualHosts."monitoring.example.com" = { enableACME = true; forceSSL = true; locations."/".proxyPass = "http://127.0.0.1:3000"; }; security.acme.defaults.email = lib.mkDefault "ops@example.com"; systemd.tmpfiles.rules = [ "d /a" ]; }`;
    const theirs = `{ services.nginx.virtualHosts."app.example.com".locations."/".root = "/srv/app"; security.acme.defaults.email = "web@example.com"; systemd.tmpfiles.rules = [ "d /b" ]; }`;
    const r = evalWith(offline.path, [`(${FULL})`, SHARED, `({ lib, ... }: ${ours})`, `(${theirs})`]);
    expect(r.nginx.virtualHosts["monitoring.example.com"]).toMatchObject({ enableACME: true, forceSSL: true, serverName: "monitoring.example.com", locations: { "/": { proxyPass: "http://127.0.0.1:3000", proxyWebsockets: false, root: null } } });
    expect(r.nginx.virtualHosts["app.example.com"].locations["/"]).toEqual({ proxyPass: null, proxyWebsockets: false, root: "/srv/app" });
    // our e-mail is a default: another kind's explicit one wins
    expect(r.acme.defaults.email).toBe("web@example.com");
    expect([...r.rules].sort()).toEqual(["d /a", "d /b"]);
    // ACME on without the CA's terms accepted: upstream's assertion, modelled in the shared file
    expect(r.failed).toEqual([expect.stringContaining("You must accept the CA's terms of service")]);
  });

  it("would clash if they carried a default (so the file must stay type-only)", () => {
    if (!offline.ok) throw new Error(offline.reason);
    const withDefault = `({ lib, ... }: { options.systemd.tmpfiles.rules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; }; })`;
    expect(() => evalWith(offline.path, [`(${FULL})`, withDefault])).toThrow(/already declared/);
  });
});
