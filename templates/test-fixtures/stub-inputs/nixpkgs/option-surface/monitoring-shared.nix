# Options the monitoring and backup kinds set that other kinds set too: nginx virtual hosts and
# ACME (nixos/modules/services/web-servers/nginx/{default,vhost-options,location-options}.nix,
# nixos/modules/security/acme/default.nix: reference §8) and systemd.tmpfiles.rules
# (nixos/modules/system/boot/systemd/tmpfiles.nix: listOf str). Declared by type only (no
# default, no description): lib/modules.nix (mergeOptionDecls) lets several modules declare one
# option as long as at most one gives a default, so these merge with a fuller declaration of
# the same options (the web-app kind's nginx/acme surface) instead of clashing with it.
# The two ACME assertions that fire as soon as a vhost enables ACME (acme/default.nix: the terms
# accepted, an account e-mail) are modelled here as config, guarded so they read only options
# somebody defined; a fuller declaration repeating them only repeats their message.
{
  config,
  lib,
  options,
  ...
}:
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

  config.assertions =
    let
      defined = option: option.isDefined;
      vhosts = if defined options.services.nginx.virtualHosts then config.services.nginx.virtualHosts else { };
      acmeVhosts = lib.filterAttrs (_: vhost: vhost.enableACME) vhosts;
    in
    lib.optionals (acmeVhosts != { }) [
      {
        assertion = defined options.security.acme.acceptTerms && config.security.acme.acceptTerms;
        message = "You must accept the CA's terms of service before using the ACME module by setting `security.acme.acceptTerms` to `true`. For Let's Encrypt's ToS see https://letsencrypt.org/repository/";
      }
      {
        assertion = defined options.security.acme.defaults && config.security.acme.defaults.email != null;
        message = "You must define `security.acme.certs.<name>.email` or `security.acme.defaults.email` to register with the CA. Note that using many different addresses for certs may trigger account rate limits.";
      }
    ];
}
