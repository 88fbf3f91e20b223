#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# First install of a server with nixos-anywhere. It WIPES the server's disk.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./bootstrap.sh --host <ip> --system x86|arm [options]

Installs NixOS on a fresh server (any Linux reachable over SSH as root, or as a user with
passwordless sudo; 1.5 GB RAM or more) with nixos-anywhere, using this repo's configuration.
ERASES THE SERVER'S DISK. Runs with the local `nix` if there is one, else in the nixos/nix
Docker image; --dry-run prints the plan even with neither installed.

Options:
  --host <ip>          the server's address (default: deploy.address in nixos-stack.json)
  --system x86|arm     the server's architecture
  --config <name>      the host in nixos-stack.json (default: the first of that architecture;
                       with --config, --system may be left out)
  --user <name>        who to log in as before the install (default: root). For a cloud image
                       without root login, e.g. --user ubuntu: that user needs passwordless
                       sudo (nixos-anywhere uses it, then continues as root). After the
                       install, root logs in with the keys of admins[].sshKeys
  --port <n>           the server's SSH port before the install (default: 22)
  --ssh-key <path>     private key for <user>@<ip> (default: the first of ~/.ssh/id_ed25519,
                       id_ecdsa, id_rsa)
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

HOST="" ARCH="" CONFIG="" PORT="" SSH_USER=root SSH_KEY="" USE_DOCKER=0 YES=0 DRY_RUN=0
while [[ $# -gt 0 ]]; do
  if take_connection_option "$@" || take_host_option "$@"; then shift 2; continue; fi
  case "$1" in
    --docker) USE_DOCKER=1; shift ;;
    --yes) YES=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
export DRY_RUN
select_host "$ARCH" "$CONFIG"
require_host
check_user
if [[ -n "$PORT" ]]; then check_port; fi
# the key is given to nixos-anywhere (and mounted into Docker), so there always is one
KEY_GIVEN="$SSH_KEY"
if [[ -z "$SSH_KEY" ]]; then
  for candidate in id_ed25519 id_ecdsa id_rsa; do
    if [[ -f "${HOME:-}/.ssh/$candidate" ]]; then SSH_KEY="${HOME:-}/.ssh/$candidate"; break; fi
  done
  [[ -n "$SSH_KEY" ]] || SSH_KEY="${HOME:-}/.ssh/id_ed25519"
fi
resolve_ssh_key "$CALLER_DIR"
HW_CONFIG="hosts/$CONFIG/hardware-configuration.nix"

if [[ "$YES" != 1 && "$DRY_RUN" != 1 ]]; then
  [[ -t 0 ]] || die "refusing to wipe $SSH_USER@$HOST without confirmation: run in a terminal or pass --yes"
  printf 'This ERASES %s on %s@%s and installs NixOS (%s).\nType the address again to continue: ' "$HOST_DISK" "$SSH_USER" "$HOST" "$CONFIG" >&2
  answer=""
  read -r answer || true
  [[ "$answer" == "$HOST" ]] || die "not confirmed; nothing was done"
fi

# A user other than root needs no flag: nixos-anywhere runs kexec through sudo (or doas) when it
# is not root, and logs in as root from the installer on (nix-community/nixos-anywhere,
# src/nixos-anywhere.sh: maybeSudo, "After kexec we explicitly set the user to root@";
# docs/quickstart.md: "a user with password-less sudo"); the installer's root accepts the keys
# of $SUDO_USER (nix-community/nixos-images, nix/kexec-installer/kexec-run.sh: extractPubKeys).
anywhere_args=(
  --flake ".#$CONFIG"
  --target-host "$SSH_USER@$HOST"
  --generate-hardware-config nixos-generate-config "$HW_CONFIG"
)
if [[ -n "$PORT" ]]; then anywhere_args+=(--ssh-port "$PORT"); fi
NIX_FLAGS=(--extra-experimental-features "nix-command flakes")

install_with_nix() {
  run nix "${NIX_FLAGS[@]}" run .#nixos-anywhere -- "${anywhere_args[@]}" -i "$SSH_KEY"
}

install_with_docker() {
  # The container runs as root on a repo owned by you: git needs safe.directory (NixOS/nix#10202),
  # and what nixos-anywhere writes (hardware file, flake.lock, git index) is given back to you.
  local owner inner
  local -a tty_flags=(-i)
  owner="$(id -u):$(id -g)"
  inner="git config --global --add safe.directory '*' && install -m 600 /run/ssh-key /root/id && { nix $(show_cmd "${NIX_FLAGS[@]}") run .#nixos-anywhere -- $(show_cmd "${anywhere_args[@]}") -i /root/id; status=\$?; chown -R $owner /repo/hosts /repo/.git /repo/flake.lock 2>/dev/null; exit \$status; }"
  if [[ -t 0 ]]; then tty_flags+=(-t); fi
  run docker run --rm "${tty_flags[@]}" \
    -v "$PWD:/repo" -w /repo \
    -v "$SSH_KEY:/run/ssh-key:ro" \
    nixos/nix sh -c "$inner"
}

GET_DOCKER="install Docker (https://docs.docker.com/get-docker/)"
GET_NIX="Nix (https://nixos.org/download)"
if [[ "$USE_DOCKER" != 1 ]] && have nix; then
  install_with_nix
elif have docker; then
  install_with_docker
elif [[ "$DRY_RUN" == 1 && "$USE_DOCKER" == 1 ]]; then
  warn "docker not found: a real run with --docker needs it: $GET_DOCKER. It would run:"
  install_with_docker
elif [[ "$DRY_RUN" == 1 ]]; then
  # the first step the next steps recommend: show the plan, and what a real run still needs
  warn "neither nix nor docker found: a real run needs one of them: $GET_DOCKER or $GET_NIX. With Docker it would run:"
  install_with_docker
  printf 'or, with Nix:\n' >&2
  install_with_nix
elif [[ "$USE_DOCKER" == 1 ]]; then
  die "--docker: docker not found: $GET_DOCKER"
else
  die "neither nix nor docker found: $GET_DOCKER or $GET_NIX"
fi

if [[ "$DRY_RUN" == 1 ]]; then
  printf 'dry run: nothing was run\n' >&2
  exit 0
fi

# the commands below log in as root with the key given here, if one was
ssh_root=(ssh -p "$HOST_SSH_PORT")
update_cmd=(./update.sh --host "$HOST" --config "$CONFIG")
if [[ -n "$KEY_GIVEN" ]]; then
  ssh_root+=(-i "$SSH_KEY")
  update_cmd+=(--ssh-key "$SSH_KEY")
fi
ssh_root+=("root@$HOST")

cat <<NEXT

NixOS is installed on $HOST ($CONFIG). Next:
  1. Commit the generated hardware file and the lock file (flakes see only tracked files):
       git add $HW_CONFIG flake.lock && git commit -m "$CONFIG: hardware configuration"
  2. SSH now listens on port $HOST_SSH_PORT (open it in your cloud firewall), key-only; root logs in
     with the keys of admins[].sshKeys in nixos-stack.json:
       $(show_cmd "${ssh_root[@]}")
NEXT
step=3
for gateway in ${STACK_GATEWAYS[@]+"${STACK_GATEWAYS[@]}"}; do
  IFS=/ read -r gw_host gw_name gw_user <<<"$gateway"
  [[ "$gw_host" == "$CONFIG" ]] || continue
  gw_dir="/home/$gw_user/.config/$gw_name"
  printf '  %s. Put the secrets of %s on the server (never in this repo):\n' "$step" "$gw_name"
  printf "       %s 'install -d -m 700 -o %s %s && install -m 600 -o %s /dev/stdin %s/secrets.env && systemctl --user -M %s@ restart %s' < secrets/%s.env\n" \
    "$(show_cmd "${ssh_root[@]}")" "$gw_user" "$gw_dir" "$gw_user" "$gw_dir" "$gw_user" "$gw_name" "$gw_name"
  step=$((step + 1))
done
for env_file in ${STACK_ENV_FILES[@]+"${STACK_ENV_FILES[@]}"}; do
  IFS=/ read -r ef_host ef_name ef_path <<<"$env_file"
  [[ "$ef_host" == "$CONFIG" ]] || continue
  printf '  %s. Put the secrets of %s on the server (never in this repo; KEY=value lines, root-only):\n' "$step" "$ef_name"
  printf "       %s 'install -d -m 700 %s && install -m 600 /dev/stdin %s && systemctl restart %s' < secrets/%s.env\n" \
    "$(show_cmd "${ssh_root[@]}")" "${ef_path%/*}" "$ef_path" "$ef_name" "$ef_name"
  step=$((step + 1))
done
# agenix/sops: the host decrypts its secrets with its own SSH key, which exists only now
printf '  %s. Let this host decrypt its secrets (%s): put its key, printed by
       %s
     in hosts[].hostKey of nixos-stack.json, run ./stack.sh sync and re-encrypt (docs/secrets.md)
' \
  "$step" agenix "$(show_cmd ssh-keyscan -t ed25519 -p "$HOST_SSH_PORT" "$HOST")"
step=$((step + 1))
printf '  %s. Copy the repo to /etc/nixos (the daily auto-upgrade builds from there), now and after every change:\n       %s\n' "$step" "$(show_cmd "${update_cmd[@]}")"
