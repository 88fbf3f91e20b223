{ config }:
{
  networking.hostName = "db";
  # services.postgresql has no `settings` here: an evaluation error on line 5, column 30
  services.postgresql.port = config.services.postgresql.settings.port;
}
