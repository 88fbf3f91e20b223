#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Update a running server: copy the Nix files to /etc/nixos and switch to them. The system is
# built here when this machine has Nix (the server only receives it), else on the server.
# Needs only rsync and ssh on this machine for the second way.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./update.sh --host <ip> --system x86|arm [options]

Copies this repo's Nix files to /etc/nixos on the server (rsync over SSH, on the host's SSH
port; the daily auto-upgrade builds from there, unless deploy.autoUpgrade is false) with the
commit in .nixos-stack/revision (with git here), then switches the server to the new system:
  --build-on local   (the default when `nix` is on this machine's PATH) builds it HERE with the
                     flake's pinned nixos-rebuild and copies the result over SSH
                     (nixos-rebuild switch --flake .#<config> --target-host): a small server
                     never compiles anything;
  --build-on server  (the default without Nix here) runs `nixos-rebuild switch --flake
                     /etc/nixos#<config>` on the server, as root: slower on a small server
                     (minutes of CPU, a few GB of disk for the first build).

Options:
  --host <ip>          the server's address (default: deploy.address in nixos-stack.json)
  --system x86|arm     the server's architecture
  --config <name>      the host in nixos-stack.json (default: the first of that architecture;
                       with --config, --system may be left out)
  --user <name>        who to log in as (default: root, whose keys are admins[].sshKeys);
                       another user works through passwordless sudo, e.g. an admin
  --port <n>           SSH port (default: the host's deploy.sshPort)
  --ssh-key <path>     private key to log in with (default: ssh's own: ~/.ssh/config, the
                       agent, ~/.ssh/id_*); given, it is the only key offered
  --build-on W         local or server: where the system is built (see above)
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

HOST="" ARCH="" CONFIG="" PORT="" SSH_USER=root SSH_KEY="" DRY_RUN=0 BUILD_ON=""
while [[ $# -gt 0 ]]; do
  if take_connection_option "$@" || take_host_option "$@"; then shift 2; continue; fi
  case "$1" in
    --dry-run) DRY_RUN=1; shift ;;
    --build-on) need_value "$@"; BUILD_ON="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
export DRY_RUN
if [[ -z "$BUILD_ON" ]]; then
  if command -v nix >/dev/null 2>&1; then BUILD_ON=local; else BUILD_ON=server; fi
fi
case "$BUILD_ON" in
  local) command -v nix >/dev/null 2>&1 || die "--build-on local needs Nix on this machine; without it, --build-on server (the server builds: slower on a small one)" ;;
  server) ;;
  *) usage >&2; die "--build-on $BUILD_ON: use local or server" ;;
esac
select_host "$ARCH" "$CONFIG"
require_host
PORT="${PORT:-$HOST_SSH_PORT}"
check_port
check_user
resolve_ssh_key "$CALLER_DIR"
set_ssh_command

# -rlptz is -a without -o/-g: the copies on the server belong to root whoever owns them here
# (root builds the system from them). secrets/ and the secret files .gitignore keeps out of git
# stay local: they are neither copied nor deleted on the server (with agenix or sops, the
# encrypted files in secrets/ are copied: the server decrypts them); nor are node_modules/ (the
# nixos-stack tools stack.sh installs) and build links.
rsync_args=(-rlptz --delete
  --exclude .git/ --include /secrets/ --include '/secrets/*.age' --include /secrets/secrets.nix --exclude '/secrets/*' --exclude '*.env' --exclude '*.key' --exclude '*.age.dec'
  --exclude result --exclude 'result-*' --exclude .direnv/ --exclude node_modules/
  -e "$(rsync_shell "${SSH_CMD[@]}")")
if [[ "$SSH_USER" != root ]]; then rsync_args+=(--rsync-path "$(as_root rsync)"); fi
run rsync "${rsync_args[@]}" ./ "$SSH_USER@$(rsync_host "$HOST"):/etc/nixos/"
# The commit being deployed, for the copy in /etc/nixos, which has no .git: the flake reads
# .nixos-stack/revision there, so the daily auto-upgrade (and --build-on server) build the
# system with the same configurationRevision as this one (status.sh compares it); "-dirty" like
# Nix's dirtyRev when tracked files have changes. As deploy.sh does.
revision=""
if command -v git >/dev/null 2>&1 && revision="$(git rev-parse --verify -q HEAD 2>/dev/null)"; then
  if ! git diff --quiet HEAD -- 2>/dev/null; then revision="$revision-dirty"; fi
fi
if [[ -n "$revision" ]]; then
  record="mkdir -p /etc/nixos/.nixos-stack && printf '%s\\n' $(printf '%q' "$revision") > /etc/nixos/.nixos-stack/revision"
  if [[ "$SSH_USER" != root ]]; then record="sudo -n sh -c $(printf '%q' "$record")"; fi
  run "${SSH_CMD[@]}" "$SSH_USER@$HOST" "$record"
fi
if [[ "$BUILD_ON" == local ]]; then
  # the devShell's nixos-rebuild (nixos-rebuild-ng: --sudo for a non-root login), from this
  # flake so its flags match the pinned release; NIX_SSHOPTS carries the port and key to ssh
  rebuild=(nixos-rebuild switch --flake ".#$CONFIG" --target-host "$SSH_USER@$HOST")
  if [[ "$SSH_USER" != root ]]; then rebuild+=(--sudo); fi
  NIX_SSHOPTS="$(printf '%q ' "${SSH_CMD[@]:1}")"
  export NIX_SSHOPTS
  echo "NIX_SSHOPTS=${NIX_SSHOPTS% }" >&2
  run nix --extra-experimental-features 'nix-command flakes' develop --command "${rebuild[@]}"
else
  echo "No Nix here (or --build-on server): the server builds the system itself; slower on a small server." >&2
  run "${SSH_CMD[@]}" "$SSH_USER@$HOST" "$(as_root "nixos-rebuild switch --flake $(printf '%q' "/etc/nixos#$CONFIG")")"
fi
