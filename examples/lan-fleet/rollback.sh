#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Roll targets of the fleet back to their previous generation, in parallel, with a summary.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./rollback.sh [options] <target>... | --all | --tag T

Runs `nixos-rebuild switch --rollback` on each target (over SSH, with the target's own
nixos-rebuild; localhost here): the system profile goes back to the generation before the
current one and is activated. Works the same for every deployer and needs no Nix here.
At most -j N targets at a time, one log each, then a table of target, result, duration and
log; a failing target never stops the others; the exit status is 1 if any failed.
When sudo asks for a password on the targets (sudo: "password"), it is asked once, here, and
each target's sudo reads it from its stdin (one password for all of them).

Options:
  --all                every target of nixos-stack.json
  --tag T              the targets tagged T, besides those named
  -j, --jobs N         targets rolled back at once (default 4)
  --ssh-key <path>     private key for the SSH logins
  --sudo-password-stdin
                       read the sudo password from the first line of stdin instead of asking
                       (a password manager's: pass show fleet/sudo | ./rollback.sh --sudo-password-stdin --all)
  --log-dir <dir>      where the logs go (default: a new directory under $TMPDIR or /tmp)
  --dry-run            print the commands, run nothing
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

JOBS=4 TAG="" ALL=0 SSH_KEY="" LOG_DIR="" DRY_RUN=0 NAMES="" PASSWORD_STDIN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --all) ALL=1; shift ;;
    --tag) need_value "$@"; TAG="$2"; shift 2 ;;
    -j | --jobs) need_value "$@"; check_jobs "$2"; JOBS="$2"; shift 2 ;;
    --ssh-key) need_value "$@"; SSH_KEY="$(absolute_path "$2")"; shift 2 ;;
    --log-dir) need_value "$@"; LOG_DIR="$(absolute_path "$2")"; shift 2 ;;
    --sudo-password-stdin) PASSWORD_STDIN=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) NAMES="${NAMES:+$NAMES }$1"; shift ;;
  esac
done
# a rollback of the whole fleet is never the default: it takes --all
if [[ "$ALL" == 1 && -n "$NAMES$TAG" ]]; then usage_error "--all rolls back every target: leave out the names and --tag"; fi
if [[ "$ALL" == 0 && -z "$NAMES$TAG" ]]; then usage_error "name the targets to roll back (one of ${STACK_HOSTS[*]}), or --tag T, or --all"; fi
# shellcheck disable=SC2086  # NAMES holds target names, which have no spaces or globs
select_targets "$TAG" $NAMES
export DRY_RUN

rollback_one() {
  use_target "$1"
  if [[ "$IS_LOCAL" == 0 ]]; then check_ssh; fi
  on_target "$(sudo_prefix)nixos-rebuild switch --rollback"
}

if [[ "$DRY_RUN" == 1 ]]; then
  for name in $TARGETS; do
    printf '\n# %s\n' "$name" >&2
    rollback_one "$name"
  done
  printf 'dry run: nothing was run\n' >&2
  exit 0
fi

# asked once, before any target starts; the jobs feed it to each target's `sudo -S` (fleet-lib.sh)
# shellcheck disable=SC2086
if password_targets $TARGETS; then get_sudo_password "$PASSWORD_STDIN"; fi

if [[ -n "$LOG_DIR" ]]; then mkdir -p "$LOG_DIR"; else LOG_DIR="$(new_log_dir rollback)"; fi
printf 'rolling back %s (%s at a time), logs in %s\n' "$TARGETS" "$JOBS" "$LOG_DIR" >&2
# shellcheck disable=SC2086
run_pool "$JOBS" "$LOG_DIR" rollback_one $TARGETS
# shellcheck disable=SC2086
print_summary "$LOG_DIR" $TARGETS
