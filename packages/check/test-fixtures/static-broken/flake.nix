{
  description = "static-broken: one parse error, one undefined variable, one broken script";
  outputs = { self }: {
    nixosModules.web = import ./hosts/web/default.nix;
    nixosModules.extra = import ./modules/extra.nix;
  };
}
