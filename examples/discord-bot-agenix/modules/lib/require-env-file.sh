#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The first step of every unit that reads a secrets file (systemd ExecCondition=, run as root
# with "+"; ./require-env-file.nix puts it there): the unit starts only when its secrets file
# is there. Without it systemd would fail the start, or the app would start with no token and
# crash, and Restart= would loop. systemd.service(5), ExecCondition=: an exit
# status of 1–254 skips the remaining commands and leaves the unit inactive, not failed, so
# Restart= does not fire; `systemctl status` shows the line printed here. Create the file, then
# `systemctl restart <service>`.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: require-env-file.sh [options] <file> <service> <backend>

Exits 0 when <file> (the service's KEY=value secrets file) exists. Otherwise prints what is
missing and how to create it for <backend> (env-file, agenix or sops), and exits 1, which
systemd's ExecCondition= reads as "skip this start" (the unit is not marked failed).

Options:
  --secret <name>  the secret's name in the repo (secrets/<name>.age or .env; default: <service>)
  --docs <path>    the service's docs (default: docs/services/<service>.md)
  --dry-run        print the verdict, always exit 0
  -h, --help       this help
USAGE
}

dry_run=false
secret=""
docs=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --dry-run)
      dry_run=true
      shift
      ;;
    --secret | --docs)
      if [[ $# -lt 2 ]]; then
        echo "require-env-file.sh: $1 needs a value (see --help)" >&2
        exit 2
      fi
      if [[ "$1" == --secret ]]; then secret="$2"; else docs="$2"; fi
      shift 2
      ;;
    --)
      shift
      break
      ;;
    -*)
      echo "require-env-file.sh: unknown option $1 (see --help)" >&2
      exit 2
      ;;
    *) break ;;
  esac
done

if [[ $# -ne 3 ]]; then
  echo "require-env-file.sh: expected <file> <service> <backend>, got $# arguments (see --help)" >&2
  exit 2
fi
file="$1"
service="$2"
backend="$3"
secret="${secret:-$service}"
docs="${docs:-docs/services/$service.md}"

if [[ -f "$file" ]]; then
  if [[ "$dry_run" == true ]]; then echo "$service: secrets file $file is present"; fi
  exit 0
fi

case "$backend" in
  env-file)
    how="create it on this server as root, mode 600: install -d -m 700 ${file%/*} && install -m 600 -o root -g root /dev/null $file && sudoedit $file (KEY=value lines)"
    ;;
  agenix)
    how="in the repo: cd secrets && agenix -e $secret.age, git add secrets/$secret.age, then deploy (docs/secrets.md)"
    ;;
  sops)
    how="in the repo: sops secrets/$secret.env, git add secrets/$secret.env, then deploy (docs/secrets.md)"
    ;;
  *)
    how="see $docs"
    ;;
esac

echo "$service: secrets file $file is missing, so $service is not started: $how; then systemctl restart $service ($docs)" >&2
if [[ "$dry_run" == true ]]; then exit 0; fi
exit 1
