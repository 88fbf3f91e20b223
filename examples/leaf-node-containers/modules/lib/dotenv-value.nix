# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Prints one KEY's value from a dotenv secret file (KEY=value lines: the secrets contract, see
# docs/secrets.md), without surrounding quotes, for services that need a single value rather than
# an environment: borg's passCommand, Grafana's $__file{} secrets. Fails naming the file and the
# key when either is missing, so the unit's log says what to add.
{ pkgs }:
pkgs.writeShellApplication {
  name = "dotenv-value";
  runtimeInputs = [
    pkgs.coreutils
    pkgs.gnused
  ];
  text = ''
    if [ "$#" -ne 2 ]; then
      echo "usage: dotenv-value KEY FILE" >&2
      exit 2
    fi
    key=$1
    file=$2
    if [ ! -r "$file" ]; then
      echo "dotenv-value: cannot read $file: create it with a $key=... line (docs/secrets.md)" >&2
      exit 1
    fi
    value=$(sed -n "s/^$key=//p" "$file" | tail -n 1)
    case "$value" in
      \"*\") value=''${value#\"}; value=''${value%\"} ;;
      \'*\') value=''${value#\'}; value=''${value%\'} ;;
    esac
    if [ -z "$value" ]; then
      echo "dotenv-value: $file has no $key=... line" >&2
      exit 1
    fi
    printf '%s\n' "$value"
  '';
}
