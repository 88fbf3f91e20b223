#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# One table for the fleet: reachable, the commit each target runs against this repo's HEAD,
# its current generation, failed systemd units.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./status.sh [options] [target...]

Asks every target (or those named, or tagged --tag T) over SSH, in parallel, and prints:
  REACHABLE   whether SSH answered (batch mode, 5 s timeout)
  COMMIT      the commit the running system was built from (nixos-version --json:
              configurationRevision; "-dirty" when built from uncommitted changes)
  STATE       up to date (= this repo's HEAD), behind (an older commit of HEAD's history),
              or unknown (no revision, uncommitted changes, or a commit this clone lacks)
  GENERATION  the current system generation and when it was made
  FAILED      the number of failed systemd units
Needs only ssh (and git for STATE) here. Exit status 1 if a target was unreachable.

Options:
  --tag T              the targets tagged T, besides those named
  --json               a JSON array instead of the table
  -j, --jobs N         targets asked at once (default 8)
  --ssh-key <path>     private key for the SSH logins
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

JOBS=8 TAG="" JSON=0 SSH_KEY="" DRY_RUN=0 NAMES=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag) need_value "$@"; TAG="$2"; shift 2 ;;
    --json) JSON=1; shift ;;
    -j | --jobs) need_value "$@"; check_jobs "$2"; JOBS="$2"; shift 2 ;;
    --ssh-key) need_value "$@"; SSH_KEY="$(absolute_path "$2")"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) NAMES="${NAMES:+$NAMES }$1"; shift ;;
  esac
done
# shellcheck disable=SC2086  # NAMES holds target names, which have no spaces or globs
select_targets "$TAG" $NAMES
export DRY_RUN

# What a target reports, one key=value a line, in POSIX sh with NixOS's own tools; the login
# user may read all of it (no sudo). The profile link's own mtime is when the generation was made.
# shellcheck disable=SC2016  # expanded on the target
PROBE='v=$(nixos-version --json 2>/dev/null | tr -d "\n")
l=$(readlink /nix/var/nix/profiles/system 2>/dev/null)
t=""; if [ -n "$l" ]; then t=$(stat -c %Y "/nix/var/nix/profiles/$l" 2>/dev/null); fi
d=""; if [ -n "$t" ]; then d=$(date -d "@$t" "+%Y-%m-%d %H:%M" 2>/dev/null); fi
printf "version=%s\ngeneration=%s\ndate=%s\nfailed=%s\n" "$v" "$l" "$d" "$(systemctl show -p NFailedUnits --value 2>/dev/null)"'

# probe_one TARGET: the probe's output on stdout; ssh's status (255: unreachable).
probe_one() {
  use_target "$1"
  local cmd=(sh -c "$PROBE")
  if [[ "$IS_LOCAL" == 0 ]]; then cmd=(ssh "${SSH_ARGS[@]}" -o BatchMode=yes -o ConnectTimeout=5 "$LOGIN" "$PROBE"); fi
  if [[ "$DRY_RUN" == 1 ]]; then show_cmd "${cmd[@]}" >&2; else "${cmd[@]}"; fi
}

if [[ "$DRY_RUN" == 1 ]]; then
  for name in $TARGETS; do probe_one "$name"; done
  printf 'dry run: nothing was run\n' >&2
  exit 0
fi

HEAD=""
if command -v git >/dev/null 2>&1; then HEAD="$(git rev-parse --verify -q HEAD 2>/dev/null || true)"; fi

DIR="$(new_log_dir status)"
trap 'rm -rf "$DIR"' EXIT
# shellcheck disable=SC2086
run_pool "$JOBS" "$DIR" probe_one $TARGETS 2>/dev/null

# value KEY FILE: the value of KEY= in a probe's output.
value() {
  local line
  while IFS= read -r line; do
    if [[ "$line" == "$1="* ]]; then printf '%s\n' "${line#"$1="}"; return; fi
  done <"$2"
}

# state REVISION: up to date, behind or unknown, against this repo's HEAD.
state() {
  if [[ -z "$1" || -z "$HEAD" || "$1" == *-dirty ]]; then printf 'unknown\n'
  elif [[ "$1" == "$HEAD" ]]; then printf 'up to date\n'
  elif git merge-base --is-ancestor "$1" "$HEAD" 2>/dev/null; then printf 'behind\n'
  else printf 'unknown\n'
  fi
}

json_or_null() {
  if [[ -z "$1" ]]; then printf 'null'; elif [[ "${2:-}" == number ]]; then printf '%s' "$1"; else printf '"%s"' "$1"; fi
}

tab=$'\t'
rows=("TARGET${tab}ADDRESS${tab}REACHABLE${tab}COMMIT${tab}STATE${tab}GENERATION${tab}FAILED")
json="" unreachable=0
revision_re='"configurationRevision": *"([0-9a-f]{7,64}(-dirty)?)"'
for name in $TARGETS; do
  use_target "$name"
  read -r status _ <"$DIR/$name.result"
  reachable=no revision="" generation="" date="" failed=""
  if [[ "$status" == 0 ]]; then
    reachable=yes
    version="$(value version "$DIR/$name.log")"
    if [[ "$version" =~ $revision_re ]]; then revision="${BASH_REMATCH[1]}"; fi
    generation="$(value generation "$DIR/$name.log")"
    if [[ "$generation" =~ ^system-([0-9]+)-link$ ]]; then generation="${BASH_REMATCH[1]}"; else generation=""; fi
    date="$(value date "$DIR/$name.log")"
    if ! [[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}$ ]]; then date=""; fi
    failed="$(value failed "$DIR/$name.log")"
    if ! [[ "$failed" =~ ^[0-9]+$ ]]; then failed=""; fi
  else
    unreachable=$((unreachable + 1))
  fi
  st="$(state "$revision")"
  short="${revision:0:12}"
  if [[ "$revision" == *-dirty ]]; then short="${revision:0:12}-dirty"; fi
  gen="-"
  if [[ -n "$generation" ]]; then gen="$generation${date:+ ($date)}"; fi
  rows+=("$name$tab$ADDR$tab$reachable$tab${short:--}$tab$st$tab$gen$tab${failed:--}")
  json+="${json:+,}
  {\"target\": \"$name\", \"address\": \"$ADDR\", \"reachable\": $([[ "$reachable" == yes ]] && printf true || printf false), \"revision\": $(json_or_null "$revision"), \"state\": \"$st\", \"generation\": $(json_or_null "$generation" number), \"generationDate\": $(json_or_null "$date"), \"failedUnits\": $(json_or_null "$failed" number)}"
done

if [[ "$JSON" == 1 ]]; then
  printf '[%s\n]\n' "$json"
else
  print_table "${rows[@]}"
  printf '\nthis repo: %s\n' "${HEAD:-no git HEAD here (STATE needs git)}"
fi
if ((unreachable > 0)); then exit 1; fi
