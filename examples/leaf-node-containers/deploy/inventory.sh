# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# shellcheck shell=bash
# The hosts of nixos-stack.json, for bootstrap.sh and update.sh (sourced, not run).
# A function and plain arrays, no associative arrays: macOS still ships bash 3.2.
# shellcheck disable=SC2034  # the variables are read by the scripts that source this file
STACK_HOSTS=( leaf-1 )

# load_host NAME: sets HOST_SYSTEM, HOST_ARCH, HOST_SSH_PORT, HOST_ADDRESS and HOST_DISK
# for one host of nixos-stack.json; fails (status 1) for any other name.
load_host() {
  case "$1" in
    leaf-1) HOST_SYSTEM=x86_64-linux HOST_ARCH=x86 HOST_SSH_PORT=2222 HOST_ADDRESS=203.0.113.30 HOST_DISK=/dev/sda ;;
    *) return 1 ;;
  esac
}

# The gateway services as host/service/user: bootstrap.sh prints how to put their secrets on the server.
STACK_GATEWAYS=( )
# The env-file secrets of system services as host/service/path (docs/secrets.md): the same, as root.
STACK_ENV_FILES=( )
