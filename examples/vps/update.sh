#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `npm create nixos-stack@latest -- --sync .`. Hand edits here are detected and never overwritten.
# Update a running server: copy the Nix files to /etc/nixos and switch to them there.
# Needs only rsync and ssh on this machine.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./update.sh --host <ip> --system x86|arm [options]

Copies this repo's Nix files to /etc/nixos on the server (rsync over SSH, as root, on
the host's SSH port) and runs `nixos-rebuild switch --flake /etc/nixos#<config>` there.

Options:
  --host <ip>          the server's address (default: deploy.address in nixos-stack.json)
  --system x86|arm     the server's architecture
  --config <name>      the host in nixos-stack.json (default: the first of that architecture;
                       with --config, --system may be left out)
  --port <n>           SSH port (default: the host's deploy.sshPort)
  --dry-run            print the commands, run nothing
  -h, --help           this help
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
# shellcheck source=deploy/inventory.sh
source deploy/inventory.sh

HOST="" ARCH="" CONFIG="" PORT="" DRY_RUN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) need_value "$@"; HOST="$2"; shift 2 ;;
    --system) need_value "$@"; ARCH="$2"; shift 2 ;;
    --config) need_value "$@"; CONFIG="$2"; shift 2 ;;
    --port) need_value "$@"; PORT="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
select_host "$ARCH" "$CONFIG"
require_host
PORT="${PORT:-$HOST_SSH_PORT}"
if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1 || 10#$PORT > 65535)); then
  die "--port $PORT: not a port number (1-65535)"
fi
export DRY_RUN

ssh_cmd=(ssh -p "$PORT" -o ConnectTimeout=10)
# rsync wants an IPv6 address in brackets (root@[2001:db8::1]:/path); ssh takes it bare
rsync_host="$HOST"
if [[ "$HOST" == *:* ]]; then rsync_host="[$HOST]"; fi
# -rlptz is -a without -o/-g: the copies on the server belong to root whoever owns them here
# (root builds the system from them). secrets/ and the secret files .gitignore keeps out of git
# stay local: they are neither copied nor deleted on the server.
run rsync -rlptz --delete \
  --exclude .git/ --exclude /secrets/ --exclude '*.env' --exclude '*.key' --exclude '*.age.dec' \
  --exclude result --exclude 'result-*' --exclude .direnv/ \
  -e "$(show_cmd "${ssh_cmd[@]}")" \
  ./ "root@$rsync_host:/etc/nixos/"
run "${ssh_cmd[@]}" "root@$HOST" "nixos-rebuild switch --flake $(printf '%q' "/etc/nixos#$CONFIG")"
