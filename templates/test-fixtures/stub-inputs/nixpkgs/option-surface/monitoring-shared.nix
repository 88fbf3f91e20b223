# Options the monitoring and backup kinds set that other kinds set too: nginx virtual hosts and
# ACME (nixos/modules/services/web-servers/nginx/{default,vhost-options,location-options}.nix,
# nixos/modules/security/acme/default.nix: reference §8) and systemd.tmpfiles.rules
# (nixos/modules/system/boot/systemd/tmpfiles.nix: listOf str). Declared by type only (no
# default, no description): lib/modules.nix (mergeOptionDecls) lets several modules declare one
# option as long as at most one gives a default, so these merge with a fuller declaration of
# the same options (the web-app kind's nginx/acme surface) instead of clashing with it.
# The ACME assertion that fires as soon as nginx runs a vhost with ACME (nginx/default.nix makes a
# security.acme.certs entry of each; acme/default.nix asserts, under `mkIf (cfg.certs != { })`,
# that the CA's terms are accepted) is modelled here as config, in upstream's words
# (Swarsel/nixpkgs@4aa6836a). Upstream no longer asserts an account e-mail (NixOS/nixpkgs PR
# #489983, "nixos/acme: drop email requirement", from February 2026, before the 26.05
# branch-off: lego registers without one), so neither does this surface.
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
      enabled = defined options.services.nginx.enable && config.services.nginx.enable;
      vhosts = if enabled && defined options.services.nginx.virtualHosts then config.services.nginx.virtualHosts else { };
      acmeVhosts = lib.filterAttrs (_: vhost: vhost.enableACME) vhosts;
    in
    lib.optional (acmeVhosts != { }) {
      assertion = defined options.security.acme.acceptTerms && config.security.acme.acceptTerms;
      message = ''
        You must accept the CA's terms of service before using
        the ACME module by setting `security.acme.acceptTerms`
        to `true`. For Let's Encrypt's ToS see https://letsencrypt.org/repository/
      '';
    };
}
