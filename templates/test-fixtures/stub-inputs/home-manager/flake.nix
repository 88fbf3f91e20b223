# A stand-in for home-manager: its NixOS module as an empty module.
{ outputs = { self }: { nixosModules.home-manager = { }; nixosModules.default = { }; }; }
