# A network-free flake shaped like a generated one: one host whose toplevel is a
# derivation, and a check named after it. `nix flake check --no-build` passes.
{
  description = "passing";
  outputs = { self }:
    let
      system = "x86_64-linux";
      toplevel = derivation { name = "nixos-system-web"; inherit system; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; };
    in
    {
      nixosConfigurations.web = { config.system.build.toplevel = toplevel; };
      checks.${system}.web = self.nixosConfigurations.web.config.system.build.toplevel;
    };
}
