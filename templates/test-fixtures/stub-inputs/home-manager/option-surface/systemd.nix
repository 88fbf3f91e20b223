# modules/systemd.nix of home-manager (@ec1a8fdf master and @65258d5c release-26.05, the same
# types): systemd.user.services.<name> are INI sections (Unit, Service, Install, …) whose
# keys are bool, int, str, path or lists of them, with a few declared keys:
# Unit.Description, Service.Environment (a string becomes a list), Service.ExecStart (a
# package or string, or a list of them).
{ lib, ... }:
let
  types = lib.types;
  primitive = types.oneOf [
    types.bool
    types.int
    types.str
    types.path
  ];
  serviceType = types.attrsOf (
    types.submodule {
      freeformType = types.attrsOf (types.attrsOf (types.either primitive (types.listOf primitive))) // {
        description = "systemd service unit configuration";
      };
      options = {
        Unit.Description = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        Service.Environment = lib.mkOption {
          type = types.coercedTo types.str lib.toList (types.listOf types.str);
          default = [ ];
        };
        Service.ExecStart = lib.mkOption {
          type =
            let
              one = types.either types.package types.str;
            in
            types.either one (types.listOf one);
          apply = lib.toList;
          default = [ ];
        };
      };
    }
  );
in
{
  options.systemd.user.services = lib.mkOption {
    type = serviceType;
    default = { };
  };
}
