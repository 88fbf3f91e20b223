#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Deploy many targets of the fleet in parallel, one log each, and a summary at the end.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./deploy-all.sh [options] [target...]

Deploys the targets named, those tagged --tag T, or every target of nixos-stack.json, with
deploy.sh: at most -j N at a time, each with its own log, then a table of target, result,
duration and log. A failing target never stops the others; the exit status is 1 if any failed.
When sudo asks for a password on the targets (sudo: "password"): without Nix here it is asked
once, here, and each target's sudo reads it from its stdin (one password for all of them, the
targets still in parallel); with Nix here the deployer asks on the terminal, one target at a time.

Options:
  -j, --jobs N         targets deployed at once (default 4)
  --tag T              the targets tagged T (hosts[].tags), besides those named
  --action A           switch (default), boot, test or dry-activate
  --build-host H       local (default) or target; see ./deploy.sh --help
  --ssh-key <path>     private key for the SSH logins
  --sudo-password-stdin
                       without Nix here: read the sudo password from the first line of stdin
                       instead of asking (pass show fleet/sudo | ./deploy-all.sh --sudo-password-stdin)
  --log-dir <dir>      where the logs go (default: a new directory under $TMPDIR or /tmp)
  --native             deploy-rs or colmena only: hand all the targets to the deployer's own
                       fleet command in one call (its output, its rules; no summary table)
  --dry-run            print what each target would run, run nothing
  -h, --help           this help
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

JOBS=4 TAG="" ACTION=switch BUILD_HOST=local SSH_KEY="" LOG_DIR="" NATIVE=0 DRY_RUN=0 NAMES="" PASSWORD_STDIN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -j | --jobs) need_value "$@"; check_jobs "$2"; JOBS="$2"; shift 2 ;;
    --tag) need_value "$@"; TAG="$2"; shift 2 ;;
    --action) need_value "$@"; ACTION="$2"; shift 2 ;;
    --build-host) need_value "$@"; BUILD_HOST="$2"; shift 2 ;;
    --ssh-key) need_value "$@"; SSH_KEY="$(absolute_path "$2")"; shift 2 ;;
    --log-dir) need_value "$@"; LOG_DIR="$(absolute_path "$2")"; shift 2 ;;
    --native) NATIVE=1; shift ;;
    --sudo-password-stdin) PASSWORD_STDIN=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) NAMES="${NAMES:+$NAMES }$1"; shift ;;
  esac
done
case "$ACTION" in
  switch | boot | test | dry-activate) ;;
  *) usage_error "--action $ACTION: use switch, boot, test or dry-activate" ;;
esac
# shellcheck disable=SC2086  # NAMES holds target names, which have no spaces or globs
select_targets "$TAG" $NAMES
export DRY_RUN

if [[ "$NATIVE" == 1 ]]; then
  case "$STACK_DEPLOYER" in
    colmena)
      # colmena's --on: comma-separated names and @tags (zhaofengli/colmena src/nix/node_filter.rs);
      # --parallel N bounds the hosts deployed at once (src/command/apply.rs)
      on=""
      if [[ -n "$TAG" ]]; then on="@$TAG"; fi
      for name in $NAMES; do on="${on:+$on,}$name"; done
      native=(nix "${FLEET_NIX_FLAGS[@]}" run .#colmena -- apply "$ACTION" --parallel "$JOBS")
      if [[ -n "$on" ]]; then native+=(--on "$on"); fi
      if [[ "$BUILD_HOST" == target ]]; then native+=(--build-on-target); fi
      if [[ -n "$SSH_KEY" ]]; then
        colmena_ssh_config "$SSH_KEY"
        native=(env "SSH_CONFIG_FILE=$COLMENA_SSH_CONFIG" "${native[@]}")
      fi
      ;;
    deploy-rs)
      # deploy-rs deploys several flakes in one call with --targets (serokell/deploy-rs src/cli.rs)
      native=(env "NIX_CONFIG=$FLEET_NIX_CONFIG" nix "${FLEET_NIX_FLAGS[@]}" run .#deploy-rs --)
      case "$ACTION" in
        switch) ;;
        boot) native+=(--boot) ;;
        dry-activate) native+=(--dry-activate) ;;
        test) die "--action test: deploy-rs has no such action; use switch, boot or dry-activate" ;;
      esac
      if [[ "$BUILD_HOST" == target ]]; then native+=(--remote-build); fi
      # the key for every target's ssh, as deploy.sh passes it (--ssh-opts)
      if [[ -n "$SSH_KEY" ]]; then native+=(--ssh-opts "$(show_cmd -i "$SSH_KEY")"); fi
      # shellcheck disable=SC2086
      if any_password_prompt $TARGETS; then native+=(--interactive-sudo true); fi
      native+=(--targets)
      for name in $TARGETS; do native+=(".#$name"); done
      ;;
    *) usage_error "--native hands the targets to deploy-rs or colmena; this fleet deploys with $STACK_DEPLOYER (deployer in nixos-stack.json)" ;;
  esac
  run "${native[@]}"
  exit 0
fi

deploy_args=(--action "$ACTION" --build-host "$BUILD_HOST")
if [[ -n "$SSH_KEY" ]]; then deploy_args+=(--ssh-key "$SSH_KEY"); fi

if [[ "$DRY_RUN" == 1 ]]; then
  for name in $TARGETS; do
    printf '\n# %s\n' "$name" >&2
    ./deploy.sh "${deploy_args[@]}" --dry-run "$name"
  done
  exit 0
fi

HAVE_NIX=0
if command -v nix >/dev/null 2>&1; then HAVE_NIX=1; fi
if [[ "$PASSWORD_STDIN" == 1 && "$HAVE_NIX" == 1 ]]; then
  die "--sudo-password-stdin is for deploys without Nix here: with Nix, $STACK_DEPLOYER asks for the password itself, in a terminal"
fi
# shellcheck disable=SC2086
if password_targets $TARGETS; then
  if [[ "$HAVE_NIX" == 0 ]]; then
    # every deploy is deploy.sh's copy deploy, whose `sudo -S` reads the password from stdin:
    # asked once here, before any target starts, and fed to each (deploy_one)
    get_sudo_password "$PASSWORD_STDIN"
  else
    # the deployer asks on the terminal itself (nixos-rebuild --ask-sudo-password, deploy-rs
    # --interactive-sudo): one target at a time, its output shown here
    [[ -t 0 ]] || die "sudo asks for a password on the targets (sudo: \"password\" in nixos-stack.json): run this in a terminal, or set sudo to \"nopasswd\""
    printf 'note: sudo asks for a password on each target, so they are deployed one at a time\n' >&2
    JOBS=1 FLEET_TEE=1
  fi
fi

# deploy-rs checks the whole flake before each deploy (`nix flake check`): once is enough
if [[ "$STACK_DEPLOYER" == deploy-rs && "$HAVE_NIX" == 1 ]]; then
  run nix "${FLEET_NIX_FLAGS[@]}" flake check
  deploy_args+=(--skip-checks)
fi

if [[ -n "$LOG_DIR" ]]; then mkdir -p "$LOG_DIR"; else LOG_DIR="$(new_log_dir deploy-all)"; fi

# deploy_one TARGET: deploy.sh for it; the sudo password, when it was asked, on its stdin
deploy_one() {
  use_target "$1"
  if [[ "$ASK_PASSWORD" == 1 && "$FLEET_HAVE_PASSWORD" == 1 ]]; then
    sudo_password_line | ./deploy.sh "${deploy_args[@]}" --sudo-password-stdin "$1"
  else
    ./deploy.sh "${deploy_args[@]}" "$1"
  fi
}

printf 'deploying %s (%s at a time), logs in %s\n' "$TARGETS" "$JOBS" "$LOG_DIR" >&2
# shellcheck disable=SC2086
run_pool "$JOBS" "$LOG_DIR" deploy_one $TARGETS
# shellcheck disable=SC2086
print_summary "$LOG_DIR" $TARGETS
