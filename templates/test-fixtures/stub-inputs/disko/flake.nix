# A stand-in for disko: its NixOS module as an empty module.
{ outputs = { self }: { nixosModules.disko = { }; nixosModules.default = { }; }; }
