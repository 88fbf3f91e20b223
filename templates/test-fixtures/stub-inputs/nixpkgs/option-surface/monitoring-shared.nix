# Options the monitoring and backup kinds set that other kinds set too: nginx virtual hosts and
# ACME (nixos/modules/services/web-servers/nginx/{default,vhost-options,location-options}.nix,
# nixos/modules/security/acme/default.nix: reference §8) and systemd.tmpfiles.rules
# (nixos/modules/system/boot/systemd/tmpfiles.nix: listOf str). Declared by type only (no
# default, no description): lib/modules.nix (mergeOptionDecls) lets several modules declare one
# option as long as at most one gives a default, so these merge with a fuller declaration of
# the same options (the web-app kind's nginx/acme surface) instead of clashing with it.
# The ACME assertions (acceptTerms, an e-mail) are the fuller declaration's to model; our
# module sets both whenever it enables ACME.
{ lib, ... }:
let
  types = lib.types;
  typed = type: lib.mkOption { inherit type; };
in
{
  options = {
    services.nginx = {
      enable = typed types.bool;
      recommendedProxySettings = typed types.bool;
      recommendedTlsSettings = typed types.bool;
      virtualHosts = typed (
        types.attrsOf (
          types.submodule {
            options = {
              enableACME = typed types.bool;
              forceSSL = typed types.bool;
              locations = typed (
                types.attrsOf (
                  types.submodule {
                    options = {
                      proxyPass = typed (types.nullOr types.str);
                      proxyWebsockets = typed types.bool;
                    };
                  }
                )
              );
            };
          }
        )
      );
    };
    security.acme = {
      acceptTerms = typed types.bool;
      defaults = typed (types.submodule { options.email = typed (types.nullOr types.str); });
    };
    systemd.tmpfiles.rules = typed (types.listOf types.str);
  };
}
