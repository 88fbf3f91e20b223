#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Deploy one target of the fleet over SSH, from any clone of this repo (no central server).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./deploy.sh [options] <target> [address]

Deploys this repo's configuration of <target> (a host in nixos-stack.json) to the machine at
[address] (default: its deploy.address, else its name); `localhost` deploys this machine.
First tests SSH (batch mode, 5 s timeout) and says what to check when that fails.

With Nix here, runs the deployer of nixos-stack.json from this flake, so its version matches
the pinned nixpkgs: nixos-rebuild (the devShell's), deploy-rs or colmena (`nix run .#…`).
Without Nix here, copies the repo to the target with rsync and runs nixos-rebuild there (the
target builds its own system: slower on a small machine, and it needs no Nix here). When sudo
there asks for a password (sudo: "password"), it is asked here, before anything runs, and sudo
reads it from its stdin (with Nix, the pinned nixos-rebuild asks: --ask-sudo-password).

Options:
  --action A           switch (default), boot, test or dry-activate
  --build-host H       where the system is built: local (default, needs Nix here), target,
                       or [user@]host (nixos-rebuild only)
  --ssh-key <path>     private key for the SSH login (default: your ssh config and agent)
  --user <name>        SSH login (default: the target's deploy.user)
  --port <n>           SSH port (default: the target's deploy.sshPort)
  --skip-checks        deploy-rs: skip its `nix flake check` (deploy-all.sh runs it once)
  --sudo-password-stdin
                       without Nix here: read the sudo password from the first line of stdin
                       instead of asking (deploy-all.sh passes it this way)
  --dry-run            print the commands, run nothing
  -h, --help           this help

Exit status: 0 deployed, 2 bad usage, 3 the target is unreachable over SSH, else the
deployer's own status.
USAGE
}

CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
# shellcheck source=deploy/inventory.sh
source deploy/inventory.sh
# shellcheck source=deploy/fleet-lib.sh
source deploy/fleet-lib.sh

ACTION=switch BUILD_HOST=local SSH_KEY="" USER_OVERRIDE="" PORT_OVERRIDE="" SKIP_CHECKS=0 DRY_RUN=0 PASSWORD_STDIN=0
TARGET_ARG="" ADDRESS_ARG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --action) need_value "$@"; ACTION="$2"; shift 2 ;;
    --build-host) need_value "$@"; BUILD_HOST="$2"; shift 2 ;;
    --ssh-key) need_value "$@"; SSH_KEY="$(absolute_path "$2")"; shift 2 ;;
    --user) need_value "$@"; USER_OVERRIDE="$2"; shift 2 ;;
    --port) need_value "$@"; check_port "$2" --port; PORT_OVERRIDE="$2"; shift 2 ;;
    --skip-checks) SKIP_CHECKS=1; shift ;;
    --sudo-password-stdin) PASSWORD_STDIN=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *)
      if [[ -z "$TARGET_ARG" ]]; then TARGET_ARG="$1"
      elif [[ -z "$ADDRESS_ARG" ]]; then ADDRESS_ARG="$1"
      else usage_error "too many arguments: $1 (one target, then optionally its address)"
      fi
      shift ;;
  esac
done
case "$ACTION" in
  switch | boot | test | dry-activate) ;;
  *) usage_error "--action $ACTION: use switch, boot, test or dry-activate" ;;
esac
[[ -n "$TARGET_ARG" ]] || usage_error "missing <target>: one of ${STACK_HOSTS[*]}"
if [[ -n "$USER_OVERRIDE" && "$USER_OVERRIDE" != root && ! "$USER_OVERRIDE" =~ ^[a-z_][a-z0-9_-]{0,30}$ ]]; then
  die "--user $USER_OVERRIDE: not a user name (lowercase letters, digits, '_' and '-')"
fi
if [[ -n "$SSH_KEY" && ! -f "$SSH_KEY" && "$DRY_RUN" != 1 ]]; then die "--ssh-key $SSH_KEY: no such file"; fi
use_target "$TARGET_ARG" "$ADDRESS_ARG"
export DRY_RUN

HAVE_NIX=0
if command -v nix >/dev/null 2>&1; then HAVE_NIX=1; fi
DEPLOYER="$STACK_DEPLOYER"
if [[ "$IS_LOCAL" == 1 ]]; then
  [[ "$HAVE_NIX" == 1 ]] || die "deploying localhost needs Nix on this machine (https://nixos.org/download), or deploy it from another machine"
  # deploy-rs and colmena deploy over SSH; this machine activates its own system with nixos-rebuild
  DEPLOYER=nixos-rebuild
fi
if [[ "$HAVE_NIX" == 0 ]]; then
  if [[ "$DEPLOYER" != nixos-rebuild ]]; then
    printf 'note: no nix here, so no %s: copying the repo to %s and running nixos-rebuild there\n' "$DEPLOYER" "$TARGET" >&2
  fi
  case "$BUILD_HOST" in
    local | target) ;;
    *) die "--build-host $BUILD_HOST needs Nix on this machine; without it the target builds its own system" ;;
  esac
  DEPLOYER=copy
fi

case "$DEPLOYER" in
  nixos-rebuild)
    rebuild=(nixos-rebuild "$ACTION" --flake ".#$TARGET")
    if [[ "$IS_LOCAL" == 0 ]]; then rebuild+=(--target-host "$LOGIN"); fi
    case "$BUILD_HOST" in
      local) ;;
      target) if [[ "$IS_LOCAL" == 0 ]]; then rebuild+=(--build-host "$LOGIN"); fi ;;
      *) rebuild+=(--build-host "$BUILD_HOST") ;;
    esac
    # the pinned nixos-rebuild is -ng: --sudo, and --ask-sudo-password asks here, once
    # (nixpkgs pkgs/by-name/ni/nixos-rebuild-ng/nixos-rebuild.8.scd)
    if [[ "$ASK_PASSWORD" == 1 ]]; then
      rebuild+=(--ask-sudo-password)
    elif [[ "$NEEDS_SUDO" == 1 ]]; then
      rebuild+=(--sudo)
    fi
    deploy_cmd=(nix "${FLEET_NIX_FLAGS[@]}" develop --command "${rebuild[@]}")
    if [[ "$IS_LOCAL" == 0 ]]; then
      # nixos-rebuild reaches the target (and a build host) with ssh and NIX_SSHOPTS
      deploy_cmd=(env "NIX_SSHOPTS=$(show_cmd "${SSH_ARGS[@]}" -o ConnectTimeout=10)" "${deploy_cmd[@]}")
    fi
    ;;
  deploy-rs)
    # serokell/deploy-rs src/cli.rs: --hostname, --ssh-user, --ssh-opts override the flake's node;
    # --boot, --dry-activate, --remote-build, --skip-checks, --interactive-sudo <bool> (checked against d5eff7f)
    deploy_cmd=(env "NIX_CONFIG=$FLEET_NIX_CONFIG" nix "${FLEET_NIX_FLAGS[@]}" run .#deploy-rs --)
    if [[ "$SKIP_CHECKS" == 1 ]]; then deploy_cmd+=(--skip-checks); fi
    case "$ACTION" in
      switch) ;;
      boot) deploy_cmd+=(--boot) ;;
      dry-activate) deploy_cmd+=(--dry-activate) ;;
      test) die "--action test: deploy-rs has no such action; use switch, boot or dry-activate (magic rollback already undoes a deploy that cuts SSH)" ;;
    esac
    case "$BUILD_HOST" in
      local) ;;
      target) deploy_cmd+=(--remote-build) ;;
      *) die "--build-host $BUILD_HOST: deploy-rs builds here or on the target (local or target)" ;;
    esac
    deploy_cmd+=(--hostname "$ADDR" --ssh-user "$LOGIN_USER" --ssh-opts "$(show_cmd "${SSH_ARGS[@]}")")
    if [[ "$ASK_PASSWORD" == 1 ]]; then deploy_cmd+=(--interactive-sudo true); fi
    deploy_cmd+=(".#$TARGET")
    ;;
  colmena)
    # colmena takes the address, port and user from its hive (deployment.targetHost & co.);
    # `apply GOAL --on NODES [--build-on-target]`: zhaofengli/colmena src/command/apply.rs,
    # goals in src/nix/deployment/goal.rs (checked against colmena 5bf4ce6)
    if [[ -n "$ADDRESS_ARG" && "$ADDRESS_ARG" != "${HOST_ADDRESS:-$TARGET}" ]]; then
      die "colmena deploys to the address in its hive ($TARGET: ${HOST_ADDRESS:-$TARGET}): change deploy.address in nixos-stack.json and re-sync, or leave out the address"
    fi
    if [[ -n "$USER_OVERRIDE$PORT_OVERRIDE" ]]; then
      die "colmena reads the SSH user and port from its hive (deploy.user, deploy.sshPort in nixos-stack.json): drop --user and --port, or change them there and re-sync"
    fi
    deploy_cmd=(nix "${FLEET_NIX_FLAGS[@]}" run .#colmena -- apply "$ACTION" --on "$TARGET")
    # --ssh-key: through an ssh_config of its own (colmena_ssh_config)
    if [[ -n "$SSH_KEY" ]]; then
      colmena_ssh_config "$SSH_KEY"
      deploy_cmd=(env "SSH_CONFIG_FILE=$COLMENA_SSH_CONFIG" "${deploy_cmd[@]}")
    fi
    case "$BUILD_HOST" in
      local) ;;
      target) deploy_cmd+=(--build-on-target) ;;
      *) die "--build-host $BUILD_HOST: colmena builds here or on the target (local or target)" ;;
    esac
    ;;
esac

if [[ "$PASSWORD_STDIN" == 1 && "$DEPLOYER" != copy ]]; then
  die "--sudo-password-stdin is for deploys without Nix here: with Nix, $DEPLOYER asks for the password itself, in a terminal"
fi
# the copy deploy's `sudo -S` reads the password from stdin (on_target): asked before anything runs
if [[ "$DEPLOYER" == copy && "$ASK_PASSWORD" == 1 && "$DRY_RUN" != 1 ]]; then
  password_targets "$TARGET"
  use_target "$TARGET" "$ADDRESS_ARG"
  get_sudo_password "$PASSWORD_STDIN"
fi

if [[ "$IS_LOCAL" == 0 ]]; then check_ssh; fi

if [[ "$DEPLOYER" == copy ]]; then
  dir="$(remote_dir)"
  # the revision being deployed, for status.sh (the flake reads .nixos-stack/revision when the
  # copy has no .git); "-dirty" like Nix's dirtyRev when tracked files have changes
  revision=""
  if command -v git >/dev/null 2>&1 && revision="$(git rev-parse --verify -q HEAD 2>/dev/null)"; then
    if ! git diff --quiet HEAD -- 2>/dev/null; then revision="$revision-dirty"; fi
  fi
  run rsync -rlptz --delete "${FLEET_RSYNC_EXCLUDES[@]}" \
    --rsync-path "$(show_cmd mkdir -p "$dir") && rsync" \
    -e "$(show_cmd ssh "${SSH_ARGS[@]}" -o ConnectTimeout=10)" \
    ./ "$RSYNC_LOGIN:$dir/"
  remote="cd $(printf '%q' "$dir")"
  if [[ -n "$revision" ]]; then remote+=" && printf '%s\\n' $(printf '%q' "$revision") > .nixos-stack/revision"; fi
  remote+=" && $(sudo_prefix)$(show_cmd nixos-rebuild "$ACTION" --flake ".#$TARGET")"
  on_target "$remote"
else
  run "${deploy_cmd[@]}"
fi

if [[ "$DRY_RUN" == 1 ]]; then
  printf 'dry run: nothing was run\n' >&2
else
  printf 'deployed %s to %s (%s)\n' "$TARGET" "$ADDR" "$ACTION" >&2
fi
