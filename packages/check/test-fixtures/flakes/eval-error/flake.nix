# A network-free flake whose host reads an attribute that does not exist.
{
  description = "eval-error";
  outputs = { self }:
    let
      system = "x86_64-linux";
      evalHost = module:
        let config = import module { inherit config; };
        in derivation { name = "nixos-system-${config.networking.hostName}"; inherit system; builder = "/bin/sh"; port = config.services.postgresql.port; };
    in
    {
      nixosConfigurations.db = { config.system.build.toplevel = evalHost ./hosts/db/default.nix; };
      checks.${system}.db = self.nixosConfigurations.db.config.system.build.toplevel;
    };
}
