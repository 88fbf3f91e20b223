# Managed by nixos-stack from nixos-stack.json: change that file, then run `npm create nixos-stack@latest -- --sync .`. Hand edits here are detected and never overwritten.
# shellcheck shell=bash
# Helpers shared by bootstrap.sh and update.sh (sourced, not run). Bash 3.2 (macOS) or later.

die() {
  printf 'error: %s\n' "$*" >&2
  exit 2
}

# need_value "$@": inside the option loop, dies unless option $1 is followed by a value.
need_value() {
  [[ $# -ge 2 && -n "$2" && "$2" != -* ]] || die "$1 needs a value"
}

# Print a command the way a shell would read it back.
show_cmd() {
  local out="" arg
  for arg in "$@"; do out+="$(printf '%q' "$arg") "; done
  printf '%s\n' "${out% }"
}

# run CMD...: print it; execute it unless DRY_RUN=1.
run() {
  show_cmd "$@" >&2
  if [[ "${DRY_RUN:-0}" != 1 ]]; then "$@"; fi
}

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
