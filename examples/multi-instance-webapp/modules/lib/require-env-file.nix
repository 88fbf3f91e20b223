# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The secrets file of a system service (node-app, web-app instance, app container): the unit
# starts only once the file exists, and says what is missing until then. Without it, systemd
# fails the start ("Failed to load environment files"), and Restart= tries again every few
# seconds for ever: RestartSec= is longer than StartLimitIntervalSec=/StartLimitBurst= (10 s,
# 5 starts) can count, so the start limit is never reached. agenix and sops-nix create their
# file only for a secret that exists in the repo (modules/secrets.nix).
#
#   serviceConfig = requireEnvFile { file = …; unit = …; secret = …; backend = …; docs = …; } // { … };
#
# - EnvironmentFile = "-<file>": a missing file is not an error for systemd itself
#   (systemd.exec(5), EnvironmentFile=: with a "-" prefix a file that does not exist is not
#   read, and nothing is logged). systemd reads it as root, before dropping privileges, so a
#   root-only mode 600 file works.
# - ExecCondition = "+<./require-env-file.sh> …": runs first, as root ("+": before User=
#   applies, so it sees a root-only file); a missing file exits 1, which skips the start and
#   leaves the unit inactive, not failed, so Restart= does not fire (systemd.service(5),
#   ExecCondition=). `systemctl status <unit>` shows its one line: what is missing and how to
#   create it. Create the file, then `systemctl restart <unit>`.
{ lib, pkgs }:
let
  check = pkgs.writeShellApplication {
    name = "require-env-file";
    text = builtins.readFile ./require-env-file.sh;
  };
in
{
  # the secrets file, as the unit reads it
  file,
  # the unit's name, for the message and the restart command
  unit,
  # the stack.secrets.files entry: secrets/<secret>.age or .env in the repo
  secret ? unit,
  # env-file, agenix or sops (nixos-stack.json: secrets.backend), for the advice
  backend,
  # where the service's docs are, in the repo
  docs ? "docs/services/${unit}.md",
}:
{
  EnvironmentFile = "-${file}";
  ExecCondition = "+${lib.getExe check} ${
    lib.escapeShellArgs [
      "--secret"
      secret
      "--docs"
      docs
      file
      unit
      backend
    ]
  }";
}
