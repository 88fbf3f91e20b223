# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# shellcheck shell=bash
# Helpers of the fleet scripts (deploy.sh, deploy-all.sh, rollback.sh, status.sh,
# discover-targets.sh), sourced after deploy/lib.sh and deploy/inventory.sh. Bash 3.2 (macOS)
# or later: plain arrays, no waiting for "any one job", and no "${array[@]}" that may be empty
# (set -u rejects it before bash 4.4).
# shellcheck disable=SC2034  # the variables set here are read by the scripts that source this file

# Nix 2.x still calls flakes experimental.
FLEET_NIX_FLAGS=(--extra-experimental-features "nix-command flakes")
# deploy-rs asks `nix eval` whether flakes work and, when not, reads .#TARGET as a file
# (serokell/deploy-rs src/cli.rs, test_flake_support): turn them on for the nix it runs, keeping yours.
FLEET_NIX_CONFIG="${NIX_CONFIG:+$NIX_CONFIG
}extra-experimental-features = nix-command flakes"

# What rsync leaves on this machine when it copies the repo (the VPS preset's update.sh keeps the same list):
# git's data, secrets/ and the secret files .gitignore keeps out of git, build links.
FLEET_RSYNC_EXCLUDES=(
  --exclude .git/ --exclude /secrets/ --exclude '*.env' --exclude '*.key' --exclude '*.age.dec'
  --exclude result --exclude 'result-*' --exclude .direnv/
)

# usage_error MESSAGE: the script's usage, then the message; exit 2.
usage_error() {
  usage >&2
  die "$*"
}

# check_port VALUE FLAG: dies unless VALUE is a TCP port.
check_port() {
  if ! [[ "$1" =~ ^[0-9]{1,5}$ ]] || ((10#$1 < 1 || 10#$1 > 65535)); then die "$2 $1: not a port number (1-65535)"; fi
}

# check_jobs VALUE: dies unless VALUE is a positive count for -j.
check_jobs() {
  [[ "$1" =~ ^[1-9][0-9]{0,2}$ ]] || die "-j $1: use a number of targets at once, 1 to 999"
}

# absolute_path PATH: PATH made absolute against CALLER_DIR (where the script was started).
absolute_path() {
  if [[ "$1" == /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$CALLER_DIR/$1"; fi
}

# use_target NAME [ADDRESS]: loads NAME from the inventory and sets how to reach it: ADDR
# (ADDRESS, else deploy.address, else the name itself, for your DNS or ~/.ssh/config, as colmena
# does), PORT, LOGIN_USER, LOGIN, RSYNC_LOGIN, SSH_ARGS, IS_LOCAL (ADDR is "localhost"),
# NEEDS_SUDO and ASK_PASSWORD. Reads the overrides PORT_OVERRIDE, USER_OVERRIDE and SSH_KEY.
use_target() {
  load_target "$1" || usage_error "unknown target: $1 (targets: ${STACK_HOSTS[*]})"
  TARGET="$1"
  ADDR="${2:-${HOST_ADDRESS:-$1}}"
  PORT="${PORT_OVERRIDE:-$HOST_SSH_PORT}"
  LOGIN_USER="${USER_OVERRIDE:-$HOST_USER}"
  LOGIN="$LOGIN_USER@$ADDR"
  # rsync wants an IPv6 address in brackets (user@[2001:db8::1]:dir); ssh takes it bare
  RSYNC_LOGIN="$LOGIN"
  if [[ "$ADDR" == *:* ]]; then RSYNC_LOGIN="$LOGIN_USER@[$ADDR]"; fi
  SSH_ARGS=(-p "$PORT")
  if [[ -n "${SSH_KEY:-}" ]]; then SSH_ARGS+=(-i "$SSH_KEY"); fi
  IS_LOCAL=0 NEEDS_SUDO=0 ASK_PASSWORD=0
  if [[ "$ADDR" == localhost ]]; then
    IS_LOCAL=1
    if [[ "$(id -u)" != 0 ]]; then NEEDS_SUDO=1; fi
  elif [[ "$LOGIN_USER" != root ]]; then
    NEEDS_SUDO=1
  fi
  if [[ "$NEEDS_SUDO" == 1 && "$STACK_SUDO" == password ]]; then ASK_PASSWORD=1; fi
}

# remote_dir: where the repo is copied on the target when this machine has no Nix: root's copy
# is /etc/nixos (where nixos-rebuild looks by default), another user's is in their home (they cannot write /etc).
remote_dir() {
  if [[ "$LOGIN_USER" == root ]]; then printf '/etc/nixos\n'; else printf '.cache/nixos-stack/%s\n' "$STACK_NAME"; fi
}

# check_ssh: one SSH round trip in batch mode (no prompt can hang it) with a short timeout.
# On failure: ssh's message, the likeliest cause, what to check; status 3.
check_ssh() {
  local err="" status=0 cause
  local cmd=(ssh "${SSH_ARGS[@]}" -o BatchMode=yes -o ConnectTimeout=5 "$LOGIN" true)
  show_cmd "${cmd[@]}" >&2
  if [[ "${DRY_RUN:-0}" == 1 ]]; then return 0; fi
  err="$("${cmd[@]}" 2>&1 >/dev/null)" || status=$?
  if [[ "$status" == 0 ]]; then return 0; fi
  case "$err" in
    *"Connection refused"*)
      cause="nothing listens on port $PORT there: is sshd running, and on that port? (hosts[].deploy.sshPort in nixos-stack.json, or --port)" ;;
    *"timed out"* | *"No route to host"* | *"Network is unreachable"* | *"resolve"* | *"not known"*)
      cause="no answer from $ADDR: is the machine on, on this network, and is the address right? (hosts[].deploy.address, or pass the address)" ;;
    *"Host key verification failed"* | *"IDENTIFICATION HAS CHANGED"*)
      cause="its host key is unknown or has changed: connect once by hand to check and accept it: ssh -p $PORT $LOGIN" ;;
    *"Permission denied"* | *"Too many authentication failures"*)
      cause="the login was refused: does user $LOGIN_USER exist there with your public key? (admins[].sshKeys, hosts[].deploy.user) Try: ssh -v -p $PORT $LOGIN" ;;
    *) cause="see ssh's message" ;;
  esac
  printf 'error: cannot reach %s over SSH (port %s): %s\n' "$LOGIN" "$PORT" "${err:-ssh exited with status $status}" >&2
  printf '  likely: %s\n' "$cause" >&2
  printf '  check:  reachability (ping %s), sshd listening on port %s, user %s, your key in its authorized keys\n' "$ADDR" "$PORT" "$LOGIN_USER" >&2
  return 3
}

# on_target COMMAND: runs a shell command line on the loaded target: here when it is localhost,
# else over ssh (-t when sudo must ask for a password there).
on_target() {
  if [[ "$IS_LOCAL" == 1 ]]; then
    run bash -c "$1"
    return
  fi
  local tty=()
  if [[ "$ASK_PASSWORD" == 1 ]]; then tty=(-t); fi
  run ssh ${tty[@]+"${tty[@]}"} "${SSH_ARGS[@]}" -o ConnectTimeout=10 "$LOGIN" "$1"
}

# sudo_prefix: "sudo " when the activation on the loaded target needs it, else nothing.
sudo_prefix() {
  if [[ "$NEEDS_SUDO" == 1 ]]; then printf 'sudo '; fi
}

# select_targets TAG [NAME...]: sets TARGETS (a space-separated list, manifest order) to the named
# targets and those tagged TAG; every target when neither is given. Unknown names and a tag no
# target has are usage errors.
select_targets() {
  local tag="$1" name wanted want
  shift
  for name in "$@"; do load_target "$name" || usage_error "unknown target: $name (targets: ${STACK_HOSTS[*]})"; done
  TARGETS=""
  for name in "${STACK_HOSTS[@]}"; do
    load_target "$name"
    wanted=0
    if [[ -z "$tag" && $# -eq 0 ]]; then wanted=1; fi
    if [[ -n "$tag" && " $HOST_TAGS " == *" $tag "* ]]; then wanted=1; fi
    for want in "$@"; do
      if [[ "$want" == "$name" ]]; then wanted=1; fi
    done
    if [[ "$wanted" == 1 ]]; then TARGETS="${TARGETS:+$TARGETS }$name"; fi
  done
  if [[ -n "$tag" ]]; then
    local tagged=0
    for name in "${STACK_HOSTS[@]}"; do
      load_target "$name"
      if [[ " $HOST_TAGS " == *" $tag "* ]]; then tagged=1; fi
    done
    [[ "$tagged" == 1 ]] || usage_error "--tag $tag: no target has this tag (set hosts[].tags in nixos-stack.json; tags in use: $(all_tags))"
  fi
}

# all_tags: every tag of the inventory, once each, or "none".
all_tags() {
  local name tag out=""
  for name in "${STACK_HOSTS[@]}"; do
    load_target "$name"
    for tag in $HOST_TAGS; do
      if [[ " $out " != *" $tag "* ]]; then out="${out:+$out }$tag"; fi
    done
  done
  printf '%s\n' "${out:-none}"
}

# any_password_prompt TARGET...: true when sudo will ask for a password on one of them.
any_password_prompt() {
  local name
  for name in "$@"; do
    use_target "$name"
    if [[ "$ASK_PASSWORD" == 1 ]]; then return 0; fi
  done
  return 1
}

# run_pool JOBS LOGDIR FUNCTION TARGET...: runs `FUNCTION TARGET` for every target in the
# background, at most JOBS at once, and waits for all. A FIFO holds one token per free slot
# (bash 3.2 cannot wait for whichever job ends first). Each run writes LOGDIR/TARGET.log (its
# output) and LOGDIR/TARGET.result ("STATUS SECONDS"), and reports one line on stderr when done.
# With FLEET_TEE=1 the output is also shown here (for a password prompt; use JOBS=1 then).
run_pool() {
  local jobs="$1" logdir="$2" fn="$3" target slot pids="" pid
  shift 3
  mkfifo "$logdir/.slots"
  exec 9<>"$logdir/.slots"
  rm -f "$logdir/.slots"
  for ((slot = 0; slot < jobs; slot++)); do printf . >&9; done
  for target in "$@"; do
    read -r -n 1 -u 9 slot
    pool_job "$fn" "$target" "$logdir" &
    pids="$pids $!"
  done
  for pid in $pids; do wait "$pid" || true; done
  exec 9>&-
}

pool_job() {
  local fn="$1" target="$2" logdir="$3" status
  SECONDS=0
  # errexit holds inside the function only outside `||` and `if`: run it in a subshell and read $?
  set +e
  if [[ "${FLEET_TEE:-0}" == 1 ]]; then
    (set -e; "$fn" "$target") 9>&- 2>&1 | tee "$logdir/$target.log"
    status="${PIPESTATUS[0]}"
  else
    (set -e; "$fn" "$target") >"$logdir/$target.log" 2>&1 9>&- </dev/null
    status=$?
  fi
  set -e
  printf '%s %s\n' "$status" "$SECONDS" >"$logdir/$target.result"
  printf '%s: %s (%s)\n' "$target" "$(result_text "$status")" "$(duration_text "$SECONDS")" >&2
  printf . >&9
}

# result_text STATUS: ok, unreachable (3, from check_ssh) or FAILED (exit N).
result_text() {
  case "$1" in
    0) printf 'ok\n' ;;
    3) printf 'FAILED (unreachable)\n' ;;
    *) printf 'FAILED (exit %s)\n' "$1" ;;
  esac
}

# duration_text SECONDS: 42s, 3m07s.
duration_text() {
  if (($1 < 60)); then printf '%ss\n' "$1"; else printf '%dm%02ds\n' $(($1 / 60)) $(($1 % 60)); fi
}

# print_summary LOGDIR TARGET...: one row per target (result, duration, log), then a count on
# stderr; status 1 if any failed.
print_summary() {
  local logdir="$1" target status seconds failed="" count=0 rows=() tab=$'\t'
  shift
  rows+=("TARGET${tab}RESULT${tab}DURATION${tab}LOG")
  for target in "$@"; do
    status=255 seconds=0
    if [[ -f "$logdir/$target.result" ]]; then read -r status seconds <"$logdir/$target.result"; fi
    rows+=("$target$tab$(result_text "$status")$tab$(duration_text "$seconds")$tab$logdir/$target.log")
    if [[ "$status" != 0 ]]; then
      failed="${failed:+$failed }$target"
      count=$((count + 1))
    fi
  done
  printf '\n'
  print_table "${rows[@]}"
  if [[ -n "$failed" ]]; then
    printf '%s of %s failed: %s\n' "$count" "$#" "$failed" >&2
    return 1
  fi
  printf 'all %s succeeded\n' "$#" >&2
}

# print_table ROW...: TAB-separated rows as aligned columns; no cell may be empty.
print_table() {
  local row i widths=() cells line
  for row in "$@"; do
    IFS=$'\t' read -r -a cells <<<"$row"
    for ((i = 0; i < ${#cells[@]}; i++)); do
      if ((${#cells[i]} > ${widths[i]:-0})); then widths[i]=${#cells[i]}; fi
    done
  done
  for row in "$@"; do
    IFS=$'\t' read -r -a cells <<<"$row"
    line=""
    for ((i = 0; i < ${#cells[@]} - 1; i++)); do line+="$(printf '%-*s' "${widths[i]}" "${cells[i]}")  "; done
    printf '%s%s\n' "$line" "${cells[${#cells[@]} - 1]}"
  done
}

# new_log_dir WHAT: a fresh directory for the logs of one run, outside the repo (rsync would copy it).
new_log_dir() {
  mktemp -d "${TMPDIR:-/tmp}/$STACK_NAME-$1.XXXXXX"
}
