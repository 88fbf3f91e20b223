# A network-free flake whose host fails an assertion, reported the way NixOS's
# top-level.nix reports them ("Failed assertions:" then one "- message" each).
{
  description = "failing-assertion";
  outputs = { self }:
    let
      system = "x86_64-linux";
      evalHost = module:
        let
          config = import module { inherit config; };
          failed = map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
        in
        if failed != [ ] then throw "\nFailed assertions:\n${builtins.concatStringsSep "\n" (map (m: "- " + m) failed)}"
        else derivation { name = "nixos-system-${config.networking.hostName}"; inherit system; builder = "/bin/sh"; };
    in
    {
      nixosConfigurations.web = { config.system.build.toplevel = evalHost ./hosts/web/default.nix; };
      checks.${system}.web = self.nixosConfigurations.web.config.system.build.toplevel;
    };
}
