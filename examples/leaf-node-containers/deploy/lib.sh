# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# shellcheck shell=bash
# Helpers shared by the deploy scripts (sourced, not run). Bash 3.2 (macOS) or later.
# Each function does one thing; the comment above it says what it reads and sets.

# ── Messages and running commands ───────────────────────────────────────────────────────────

# die MESSAGE: prints "error: MESSAGE" and exits 2 (bad input, or a tool that is missing).
die() {
  printf 'error: %s\n' "$*" >&2
  exit 2
}

# warn MESSAGE: prints "warning: MESSAGE" and carries on.
warn() {
  printf 'warning: %s\n' "$*" >&2
}

# have COMMAND: true when COMMAND is on the PATH.
have() {
  command -v "$1" >/dev/null 2>&1
}

# need_value "$@": inside the option loop, dies unless option $1 is followed by a value.
need_value() {
  [[ $# -ge 2 && -n "$2" && "$2" != -* ]] || die "$1 needs a value"
}

# show_cmd ARG...: prints a command the way a shell would read it back.
show_cmd() {
  local out="" arg
  for arg in "$@"; do out+="$(printf '%q' "$arg") "; done
  printf '%s\n' "${out% }"
}

# run CMD...: prints it; executes it unless DRY_RUN=1.
run() {
  show_cmd "$@" >&2
  if [[ "${DRY_RUN:-0}" != 1 ]]; then "$@"; fi
}

# ── Which host ──────────────────────────────────────────────────────────────────────────────

check_arch() {
  case "$1" in
    x86 | arm) ;;
    "") die "--system is required: x86 or arm" ;;
    *) die "--system $1: use x86 or arm" ;;
  esac
}

# resolve_config ARCH [CONFIG]: prints the nixosConfiguration for --system x86|arm and/or --config.
resolve_config() {
  local arch="$1" wanted="${2:-}" name
  if [[ -n "$wanted" ]]; then
    load_host "$wanted" || die "--config $wanted: no such host in nixos-stack.json (hosts: ${STACK_HOSTS[*]})"
    [[ -z "$arch" || "$HOST_ARCH" == "$arch" ]] || die "--config $wanted is $HOST_SYSTEM, not --system $arch"
    printf '%s\n' "$wanted"
    return
  fi
  check_arch "$arch"
  for name in "${STACK_HOSTS[@]}"; do
    load_host "$name"
    if [[ "$HOST_ARCH" == "$arch" ]]; then
      printf '%s\n' "$name"
      return
    fi
  done
  die "--system $arch: no host of that architecture in nixos-stack.json (hosts: ${STACK_HOSTS[*]})"
}

# select_host ARCH CONFIG: resolves the host (--system and/or --config) and loads its HOST_* values
# into the calling shell; CONFIG and ARCH are set to the host's name and architecture.
# shellcheck disable=SC2034  # CONFIG and ARCH are read by the scripts that source this file
select_host() {
  if [[ -n "$1" ]]; then check_arch "$1"; fi
  CONFIG="$(resolve_config "$1" "$2")"
  load_host "$CONFIG"
  ARCH="$HOST_ARCH"
}

# require_host: HOST is --host, else the selected host's deploy.address from nixos-stack.json.
require_host() {
  HOST="${HOST:-$HOST_ADDRESS}"
  [[ -n "$HOST" ]] || die "--host is required: the server's IP address (or set deploy.address of $CONFIG in nixos-stack.json)"
}

# ── Options every script that logs in to a server takes, parsed in one place ────────────────

# take_host_option "$@": inside the option loop, takes --system or --config (with its value) into
# ARCH or CONFIG; returns 1, taking nothing, for any other option. The caller shifts by 2.
# shellcheck disable=SC2034  # ARCH and CONFIG are read by the scripts that source this file
take_host_option() {
  case "$1" in
    --system) need_value "$@"; ARCH="$2" ;;
    --config) need_value "$@"; CONFIG="$2" ;;
    *) return 1 ;;
  esac
}

# take_connection_option "$@": inside the option loop, takes --host, --port, --user or --ssh-key
# (with its value) into HOST, PORT, SSH_USER or SSH_KEY; returns 1, taking nothing, for any other
# option. The caller shifts by 2. Defaults are the caller's: set them before the loop.
# shellcheck disable=SC2034  # the variables are read by the scripts that source this file
take_connection_option() {
  case "$1" in
    --host) need_value "$@"; HOST="$2" ;;
    --port) need_value "$@"; PORT="$2" ;;
    --user) need_value "$@"; SSH_USER="$2" ;;
    --ssh-key) need_value "$@"; SSH_KEY="$2" ;;
    *) return 1 ;;
  esac
}

# check_port: dies unless PORT is a TCP port number.
check_port() {
  if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1 || 10#$PORT > 65535)); then
    die "--port $PORT: not a port number (1-65535)"
  fi
}

# check_user: dies unless SSH_USER is a plain user name (it becomes USER@HOST for ssh and rsync).
check_user() {
  [[ "$SSH_USER" =~ ^[A-Za-z_][A-Za-z0-9._-]{0,31}$ ]] ||
    die "--user $SSH_USER: not a user name (letters, digits, '.', '_', '-'; e.g. root, ubuntu)"
}

# resolve_ssh_key CALLER_DIR: makes a relative --ssh-key relative to where the script was started;
# dies when the file is missing (a dry run only warns). An empty SSH_KEY stays empty: ssh then
# uses its own defaults, ~/.ssh/config and the agent.
resolve_ssh_key() {
  [[ -n "$SSH_KEY" ]] || return 0
  [[ "$SSH_KEY" == /* ]] || SSH_KEY="$1/$SSH_KEY"
  if [[ -d "$SSH_KEY" ]]; then die "--ssh-key $SSH_KEY is a directory: give the private key file (e.g. ~/.ssh/id_ed25519)"; fi
  if [[ -f "$SSH_KEY" ]]; then return 0; fi
  if [[ "${DRY_RUN:-0}" == 1 ]]; then
    warn "--ssh-key $SSH_KEY: no such file; a real run needs the private key that logs in as $SSH_USER@$HOST"
  else
    die "--ssh-key $SSH_KEY: no such file (the private key that logs in as $SSH_USER@$HOST)"
  fi
}

# ── Building the ssh and rsync commands ─────────────────────────────────────────────────────

# set_ssh_command: SSH_CMD=(ssh -p PORT ...), with `-i KEY -o IdentitiesOnly=yes` when --ssh-key
# was given, so that exactly that key is offered (no agent needed, no other key tried first).
set_ssh_command() {
  SSH_CMD=(ssh -p "$PORT" -o ConnectTimeout=10)
  if [[ -n "$SSH_KEY" ]]; then SSH_CMD+=(-i "$SSH_KEY" -o IdentitiesOnly=yes); fi
}

# rsync_shell ARG...: the command as one string for rsync's -e. rsync splits that string itself:
# on spaces, with '...' or "..." keeping spaces and a doubled quote for a literal one, and no
# backslash escapes (rsync main.c, do_cmd) — so printf %q would break a path with a space.
rsync_shell() {
  local out="" arg q="'"
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
      out+="$arg "
    else
      out+="'${arg//$q/$q$q}' "
    fi
  done
  printf '%s\n' "${out% }"
}

# rsync_host HOST: HOST as rsync wants it in USER@HOST:PATH (an IPv6 address in brackets; ssh
# takes it bare).
rsync_host() {
  if [[ "$1" == *:* ]]; then printf '[%s]\n' "$1"; else printf '%s\n' "$1"; fi
}

# as_root COMMAND: COMMAND as a string to run on the server as root: itself when SSH_USER is
# root, else through passwordless sudo (-n: fail at once rather than wait for a password).
as_root() {
  if [[ "$SSH_USER" == root ]]; then printf '%s\n' "$1"; else printf 'sudo -n %s\n' "$1"; fi
}
