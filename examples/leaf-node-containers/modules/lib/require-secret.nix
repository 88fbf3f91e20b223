# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The ExecCondition= of a unit that reads a secret file: the unit starts only once the file is
# there and not empty. Otherwise systemd skips the start (systemd.service(5), ExecCondition=: an
# exit status of 1–254 skips the remaining commands and leaves the unit inactive, not failed, so
# Restart= does not fire and nothing loops) and the journal has one line saying which file is
# missing and how to create it. "+": it runs as root, so it sees a root-only file. An empty file
# counts as missing: the env-file backend keeps an empty placeholder where a container
# bind-mounts the secret (modules/secrets.nix, `placeholder`).
{ lib, pkgs }:
let
  check = pkgs.writeShellApplication {
    name = "require-secret";
    text = ''
      if [ "$#" -ne 3 ]; then
        echo "usage: require-secret FILE UNIT HOW-TO" >&2
        exit 2
      fi
      file=$1
      unit=$2
      how=$3
      if [ -s "$file" ]; then
        exit 0
      fi
      echo "$unit: its secret file $file is missing or empty, so $unit is not started: $how" >&2
      exit 1
    '';
  };
in
{
  file,
  unit,
  how,
}:
# systemd expands $VAR and %-specifiers even inside quotes (systemd.service(5), "Command
# lines"): doubled, the script gets the arguments as written
"+${lib.getExe check} ${lib.replaceStrings [ "$" "%" ] [ "$$" "%%" ] (lib.escapeShellArgs [ file unit how ])}"
