{ config, lib, ... }:
let
  cfg = config.services.extra;
in
{
  config = lib.mkIf cfg.enable {
    environment.etc."extra.conf".text = settings.greeting;
  };
}
