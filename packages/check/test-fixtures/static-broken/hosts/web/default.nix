# a missing semicolon after the hostName: Nix reports it at line 5, column 27 (the next `=`)
{ lib, ... }:
{
  networking.hostName = "web"
  services.openssh.enable = true;
}
