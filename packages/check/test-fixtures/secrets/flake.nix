{
  description = "secrets: every way a secret can leak into the store or into git";
  outputs = { self }: {
    nixosModules.app = import ./modules/app.nix;
  };
}
