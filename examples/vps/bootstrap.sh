#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `npm create nixos-stack@latest -- --sync .`. Hand edits here are detected and never overwritten.
# First install of a server with nixos-anywhere. It WIPES the server's disk.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./bootstrap.sh --host <ip> --system x86|arm [options]

Installs NixOS on a fresh server (any Linux reachable as root over SSH, 1.5 GB RAM or
more) with nixos-anywhere, using this repo's configuration. ERASES THE SERVER'S DISK.
Runs with the local `nix` if there is one, else in the nixos/nix Docker image.

Options:
  --host <ip>          the server's address, root SSH on port 22 (default: deploy.address
                       in nixos-stack.json)
  --system x86|arm     the server's architecture
  --ssh-key <path>     private key for root@<ip> (default: the first of ~/.ssh/id_ed25519,
                       id_ecdsa, id_rsa)
  --config <name>      the host in nixos-stack.json (default: the first of that architecture;
                       with --config, --system may be left out)
  --docker             use Docker even if nix is installed
  --yes                do not ask for confirmation
  --dry-run            print the commands, run nothing
  -h, --help           this help
USAGE
}

# paths given on the command line are relative to where the script was started
CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
# shellcheck source=deploy/inventory.sh
source deploy/inventory.sh

HOST="" ARCH="" CONFIG="" SSH_KEY="" USE_DOCKER=0 YES=0 DRY_RUN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) need_value "$@"; HOST="$2"; shift 2 ;;
    --system) need_value "$@"; ARCH="$2"; shift 2 ;;
    --ssh-key) need_value "$@"; SSH_KEY="$2"; shift 2 ;;
    --config) need_value "$@"; CONFIG="$2"; shift 2 ;;
    --docker) USE_DOCKER=1; shift ;;
    --yes) YES=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
select_host "$ARCH" "$CONFIG"
require_host
if [[ -z "$SSH_KEY" ]]; then
  for candidate in id_ed25519 id_ecdsa id_rsa; do
    if [[ -f "${HOME:-}/.ssh/$candidate" ]]; then SSH_KEY="${HOME:-}/.ssh/$candidate"; break; fi
  done
  [[ -n "$SSH_KEY" ]] || SSH_KEY="${HOME:-}/.ssh/id_ed25519"
fi
[[ "$SSH_KEY" == /* ]] || SSH_KEY="$CALLER_DIR/$SSH_KEY"
if [[ ! -f "$SSH_KEY" ]]; then
  if [[ "$DRY_RUN" == 1 ]]; then
    printf 'warning: --ssh-key %s: no such file; a real run needs the private key that logs in as root@%s\n' "$SSH_KEY" "$HOST" >&2
  else
    die "--ssh-key $SSH_KEY: no such file (the private key that logs in as root@$HOST)"
  fi
fi
HW_CONFIG="hosts/$CONFIG/hardware-configuration.nix"
export DRY_RUN

if [[ "$YES" != 1 && "$DRY_RUN" != 1 ]]; then
  [[ -t 0 ]] || die "refusing to wipe root@$HOST without confirmation: run in a terminal or pass --yes"
  printf 'This ERASES %s on root@%s and installs NixOS (%s).\nType the address again to continue: ' "$HOST_DISK" "$HOST" "$CONFIG" >&2
  answer=""
  read -r answer || true
  [[ "$answer" == "$HOST" ]] || die "not confirmed; nothing was done"
fi

anywhere_args=(
  --flake ".#$CONFIG"
  --target-host "root@$HOST"
  --generate-hardware-config nixos-generate-config "$HW_CONFIG"
)
NIX_FLAGS=(--extra-experimental-features "nix-command flakes")

if [[ "$USE_DOCKER" != 1 ]] && command -v nix >/dev/null 2>&1; then
  run nix "${NIX_FLAGS[@]}" run .#nixos-anywhere -- "${anywhere_args[@]}" -i "$SSH_KEY"
elif command -v docker >/dev/null 2>&1; then
  # The container runs as root on a repo owned by you: git needs safe.directory (NixOS/nix#10202),
  # and what nixos-anywhere writes (hardware file, flake.lock, git index) is given back to you.
  owner="$(id -u):$(id -g)"
  inner="git config --global --add safe.directory '*' && install -m 600 /run/ssh-key /root/id && { nix $(show_cmd "${NIX_FLAGS[@]}") run .#nixos-anywhere -- $(show_cmd "${anywhere_args[@]}") -i /root/id; status=\$?; chown -R $owner /repo/hosts /repo/.git /repo/flake.lock 2>/dev/null; exit \$status; }"
  tty_flags=(-i)
  if [[ -t 0 ]]; then tty_flags+=(-t); fi
  run docker run --rm "${tty_flags[@]}" \
    -v "$PWD:/repo" -w /repo \
    -v "$SSH_KEY:/run/ssh-key:ro" \
    nixos/nix sh -c "$inner"
elif [[ "$USE_DOCKER" == 1 ]]; then
  die "--docker: docker not found: install Docker (https://docs.docker.com/get-docker/)"
else
  die "neither nix nor docker found: install Docker (https://docs.docker.com/get-docker/) or Nix (https://nixos.org/download)"
fi

if [[ "$DRY_RUN" == 1 ]]; then
  printf 'dry run: nothing was run\n' >&2
  exit 0
fi

cat <<NEXT

NixOS is installed on $HOST ($CONFIG). Next:
  1. Commit the generated hardware file and the lock file (flakes see only tracked files):
       git add $HW_CONFIG flake.lock && git commit -m "$CONFIG: hardware configuration"
  2. SSH now listens on port $HOST_SSH_PORT (open it in your cloud firewall), key-only:
       ssh -p $HOST_SSH_PORT root@$HOST
NEXT
step=3
for gateway in ${STACK_GATEWAYS[@]+"${STACK_GATEWAYS[@]}"}; do
  IFS=/ read -r gw_host gw_name gw_user <<<"$gateway"
  [[ "$gw_host" == "$CONFIG" ]] || continue
  gw_dir="/home/$gw_user/.config/$gw_name"
  printf '  %s. Put the secrets of %s on the server (never in this repo):\n' "$step" "$gw_name"
  printf "       ssh -p %s root@%s 'install -d -m 700 -o %s %s && install -m 600 -o %s /dev/stdin %s/secrets.env && systemctl --user -M %s@ restart %s' < secrets/%s.env\n" \
    "$HOST_SSH_PORT" "$HOST" "$gw_user" "$gw_dir" "$gw_user" "$gw_dir" "$gw_user" "$gw_name" "$gw_name"
  step=$((step + 1))
done
printf '  %s. Copy the repo to /etc/nixos (the daily auto-upgrade builds from there), now and after every change:\n       ./update.sh --host %s --config %s\n' "$step" "$HOST" "$CONFIG"
