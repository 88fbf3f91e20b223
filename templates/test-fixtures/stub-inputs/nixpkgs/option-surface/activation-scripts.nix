# system.activationScripts from nixos/modules/system/activation/activation-script.nix (NixOS
# nixpkgs, the form of every current branch: `types.attrsOf (scriptType true)`, scriptType =
# `either str (submodule { deps; text; supportsDryActivation; })`; read from stored copies of
# the file, the NixOS one unchanged since the lib.mdDoc removal). The real agenix module
# (modules/age.nix: agenixNewGeneration, agenixInstall, agenixChown, `users.deps`) defines it
# when sysusers is off. Not modelled: `apply` (the assembled activation script) and the
# snippets' real texts. NixOS itself defines `users` (nixos/modules/config/users-groups.nix: the
# update-users-groups script, a submodule with text, when sysusers and userborn are off) and
# `specialfs` (activation-script.nix); agenix adds `deps` to `users`, which fails with "…users.text'
# was accessed but has no value defined" unless the text is there, so both are defined here.
#
# system.build.installBootLoader is declared in the same file: `types.unique` (either str
# package), so a second boot loader fails naming the option ("Only one bootloader can be enabled
# at a time"); its default (a script that only warns) is a string here.
{ lib, ... }:
let
  types = lib.types;
  scriptType = types.either types.str (
    types.submodule {
      options = {
        deps = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        text = lib.mkOption { type = types.lines; };
        supportsDryActivation = lib.mkOption {
          type = types.bool;
          default = false;
        };
      };
    }
  );
in
{
  options.system.activationScripts = lib.mkOption {
    default = { };
    type = types.attrsOf scriptType;
  };

  options.system.build.installBootLoader = lib.mkOption {
    internal = true;
    default = "no-bootloader (stand-in: warns that no boot loader is enabled)";
    type = types.unique {
      message = ''
        Only one bootloader can be enabled at a time. This requirement has not
        been checked until NixOS 22.05. Earlier versions defaulted to the last
        definition. Change your configuration to enable only one bootloader.
      '';
    } (types.either types.str types.package);
  };

  config.system.activationScripts = {
    users = {
      supportsDryActivation = true;
      text = "# stand-in: nixos/modules/config/users-groups.nix runs update-users-groups.pl here";
    };
    specialfs.text = "# stand-in: activation-script.nix mounts the special file systems here";
  };
}
