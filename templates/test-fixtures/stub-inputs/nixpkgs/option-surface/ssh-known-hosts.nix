# programs.ssh.knownHosts (Swarsel/nixpkgs@4aa6836a nixos/modules/programs/ssh.nix): attrsOf
# a submodule of hostNames (listOf str, default [ <name> ] ++ extraHostNames), extraHostNames
# (listOf str, [ ]), publicKey (nullOr str, null), publicKeyFile (nullOr path, null) and
# certAuthority (bool, false); written to /etc/ssh/ssh_known_hosts, which ssh_config names as
# GlobalKnownHostsFile. The assertion: exactly one of publicKey and publicKeyFile; and the
# `assert h.hostNames != [ ]` of the file's text (an evaluation error upstream, an assertion here).
{ config, lib, ... }:
let
  types = lib.types;
in
{
  options.programs.ssh.knownHosts = lib.mkOption {
    default = { };
    type = types.attrsOf (
      types.submodule (
        { name, config, ... }:
        {
          options = {
            certAuthority = lib.mkOption {
              type = types.bool;
              default = false;
            };
            extraHostNames = lib.mkOption {
              type = types.listOf types.str;
              default = [ ];
            };
            hostNames = lib.mkOption {
              type = types.listOf types.str;
              default = [ name ] ++ config.extraHostNames;
            };
            publicKey = lib.mkOption {
              type = types.nullOr types.str;
              default = null;
            };
            publicKeyFile = lib.mkOption {
              type = types.nullOr types.path;
              default = null;
            };
          };
        }
      )
    );
  };

  config.assertions = lib.concatLists (
    lib.mapAttrsToList (name: data: [
      {
        assertion = (data.publicKey == null && data.publicKeyFile != null) || (data.publicKey != null && data.publicKeyFile == null);
        message = "knownHost ${name} must contain either a publicKey or publicKeyFile";
      }
      {
        assertion = data.hostNames != [ ];
        message = "programs.ssh.knownHosts.${name}.hostNames is empty: /etc/ssh/ssh_known_hosts needs a host name for each key (nixos/modules/programs/ssh.nix asserts h.hostNames != [ ])";
      }
    ]) config.programs.ssh.knownHosts
  );
}
