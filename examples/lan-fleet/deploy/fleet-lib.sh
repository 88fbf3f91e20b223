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
# else over ssh. When sudo there asks for a password, COMMAND's `sudo -S` reads it from stdin
# (sudo_prefix), fed by sudo_password_line: no terminal is needed there, so this works in the
# background jobs of run_pool, whose stdin is /dev/null (bash runs `&` lists so without job control).
on_target() {
  local cmd=(ssh "${SSH_ARGS[@]}" -o ConnectTimeout=10 "$LOGIN" "$1")
  if [[ "$IS_LOCAL" == 1 ]]; then cmd=(bash -c "$1"); fi
  if [[ "$ASK_PASSWORD" == 0 || "${DRY_RUN:-0}" == 1 ]]; then
    run "${cmd[@]}"
    return
  fi
  [[ "$FLEET_HAVE_PASSWORD" == 1 ]] || die "internal: the sudo password of $TARGET was not asked for"
  printf '<sudo password> | %s\n' "$(show_cmd "${cmd[@]}")" >&2
  sudo_password_line | "${cmd[@]}"
}

# sudo_prefix: how the activation on the loaded target becomes root: nothing (root), "sudo ", or,
# when sudo asks for a password, "sudo -S -p '' " (read it from stdin, print no prompt: as
# nixos-rebuild-ng does for --ask-sudo-password, nixpkgs pkgs/by-name/ni/nixos-rebuild-ng/src/nixos_rebuild/process.py).
sudo_prefix() {
  if [[ "$ASK_PASSWORD" == 1 ]]; then
    printf "sudo -S -p '' "
  elif [[ "$NEEDS_SUDO" == 1 ]]; then
    printf 'sudo '
  fi
}

# ── The sudo password (sudo: "password") ─────────────────────────────────────────────────────
# Asked once, before any target runs, and kept in FLEET_SUDO_PASSWORD: a variable of this shell
# and its subshells only. It is never exported (unset first, in case the environment has the
# name), never an argument of a command (printf and read are builtins), never printed or logged.
unset FLEET_SUDO_PASSWORD
FLEET_HAVE_PASSWORD=0

# password_targets TARGET...: sets PASSWORD_TARGETS and PASSWORD_USERS (space-separated) to the
# targets where sudo will ask for a password and their logins; true when there is one.
password_targets() {
  local name
  PASSWORD_TARGETS="" PASSWORD_USERS=""
  for name in "$@"; do
    use_target "$name"
    if [[ "$ASK_PASSWORD" == 1 ]]; then
      PASSWORD_TARGETS="${PASSWORD_TARGETS:+$PASSWORD_TARGETS }$name"
      if [[ " $PASSWORD_USERS " != *" $LOGIN_USER "* ]]; then PASSWORD_USERS="${PASSWORD_USERS:+$PASSWORD_USERS }$LOGIN_USER"; fi
    fi
  done
  [[ -n "$PASSWORD_TARGETS" ]]
}

# get_sudo_password FROM_STDIN: sets FLEET_SUDO_PASSWORD once, for the targets of password_targets:
# the first line of stdin when FROM_STDIN is 1 (--sudo-password-stdin), else asked on the
# terminal (/dev/tty, not echoed) when stdin is one (someone is there to answer); dies otherwise.
# One password for all of them.
get_sudo_password() {
  if [[ "$FLEET_HAVE_PASSWORD" == 1 ]]; then return 0; fi
  if [[ "$1" == 1 ]]; then
    IFS= read -r FLEET_SUDO_PASSWORD || true
  elif [[ -t 0 ]] && { exec 8<>/dev/tty; } 2>/dev/null; then
    # echo off before the prompt shows, so that nothing typed ahead is echoed either (read -s
    # turns it off only once it reads); the terminal's settings come back even on Ctrl-C
    local saved=""
    if saved="$(stty -g <&8 2>/dev/null)"; then
      trap 'stty "$saved" <&8 2>/dev/null; printf "\n" >&8; exit 130' INT TERM
      stty -echo <&8
    fi
    printf 'sudo password for %s on %s: ' "$PASSWORD_USERS" "$PASSWORD_TARGETS" >&8
    IFS= read -r -s -u 8 FLEET_SUDO_PASSWORD || true
    printf '\n' >&8
    if [[ -n "$saved" ]]; then
      stty "$saved" <&8 2>/dev/null || true
      trap - INT TERM
    fi
    exec 8>&-
  else
    die "sudo asks for a password on the targets (sudo: \"password\" in nixos-stack.json): $PASSWORD_TARGETS; run this in a terminal, give it on stdin with --sudo-password-stdin, or set sudo to \"nopasswd\""
  fi
  [[ -n "${FLEET_SUDO_PASSWORD:-}" ]] || die "no sudo password given (for $PASSWORD_USERS on $PASSWORD_TARGETS)"
  FLEET_HAVE_PASSWORD=1
}

# sudo_password_line: writes the password and a newline to stdout, the left side of a pipe into
# a command whose `sudo -S` reads it. A subshell there, so turning off a `bash -x` trace (which would
# show the argument of printf) and SIGPIPE (a target whose sudo asks nothing closes the pipe early)
# stays in it.
sudo_password_line() {
  { set +x; } 2>/dev/null
  trap '' PIPE
  printf '%s\n' "$FLEET_SUDO_PASSWORD" 2>/dev/null || true
}

# colmena_ssh_config KEY: writes an ssh_config that offers exactly KEY and then includes the config
# ssh would read otherwise ($SSH_CONFIG_FILE when set, else ~/.ssh/config and /etc/ssh/ssh_config),
# and sets COLMENA_SSH_CONFIG to it; the file goes when the script exits. colmena has no option for
# a key: it hands SSH_CONFIG_FILE to every ssh and nix copy it runs as `-F FILE`, and ssh -F reads
# that file alone (zhaofengli/colmena README "Environment Variables", src/command/apply.rs,
# src/nix/host/ssh.rs ssh_options; checked against 5bf4ce6).
colmena_ssh_config() {
  local key="$1" file
  case "$key" in
    *'"'* | *$'\n'*) die "--ssh-key $key: colmena reads the key from an ssh_config file, which cannot hold a path with a double quote or a newline" ;;
  esac
  file="$(mktemp "${TMPDIR:-/tmp}/$STACK_NAME-colmena-ssh.XXXXXX")"
  COLMENA_SSH_CONFIG="$file"
  trap 'rm -f "$COLMENA_SSH_CONFIG"' EXIT
  {
    printf '# for colmena (SSH_CONFIG_FILE), from --ssh-key; the first value of an option wins\n'
    # ssh expands %-tokens in IdentityFile: a literal % is %%
    printf 'IdentityFile "%s"\n' "${key//%/%%}"
    printf 'IdentitiesOnly yes\n'
    if [[ -n "${SSH_CONFIG_FILE:-}" ]]; then
      printf 'Include "%s"\n' "$(absolute_path "$SSH_CONFIG_FILE")"
    else
      printf 'Include ~/.ssh/config\nInclude /etc/ssh/ssh_config\n'
    fi
  } >"$file"
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
  password_targets "$@"
}

# run_pool JOBS LOGDIR FUNCTION TARGET...: runs `FUNCTION TARGET` for every target in the
# background, at most JOBS at once, and waits for all. A FIFO holds one token per free slot
# (bash 3.2 cannot wait for whichever job ends first). Each run writes LOGDIR/TARGET.log (its
# output) and LOGDIR/TARGET.result ("STATUS SECONDS"), and reports one line on stderr when done.
# With FLEET_TEE=1 the output is also shown here (for a deployer's own password prompt on the
# terminal, such as nixos-rebuild's --ask-sudo-password; use JOBS=1 then).
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
