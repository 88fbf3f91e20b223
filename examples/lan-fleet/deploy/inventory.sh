# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# shellcheck shell=bash
# The hosts of nixos-stack.json, for bootstrap.sh and update.sh (sourced, not run).
# A function and plain arrays, no associative arrays: macOS still ships bash 3.2.
# shellcheck disable=SC2034  # the variables are read by the scripts that source this file
STACK_HOSTS=( lab-server dev-workstation media-center )

# load_host NAME: sets HOST_SYSTEM, HOST_ARCH, HOST_SSH_PORT, HOST_ADDRESS and HOST_DISK
# for one host of nixos-stack.json; fails (status 1) for any other name.
load_host() {
  case "$1" in
    lab-server) HOST_SYSTEM=x86_64-linux HOST_ARCH=x86 HOST_SSH_PORT=22 HOST_ADDRESS=192.168.1.10 HOST_DISK=/dev/sda ;;
    dev-workstation) HOST_SYSTEM=x86_64-linux HOST_ARCH=x86 HOST_SSH_PORT=22 HOST_ADDRESS=192.168.1.20 HOST_DISK=/dev/sda ;;
    media-center) HOST_SYSTEM=x86_64-linux HOST_ARCH=x86 HOST_SSH_PORT=22 HOST_ADDRESS=192.168.1.30 HOST_DISK=/dev/sda ;;
    *) return 1 ;;
  esac
}

# The gateway services as host/service/user: bootstrap.sh prints how to put their secrets on the server.
STACK_GATEWAYS=( )
# The env-file secrets of system services as host/service/path (docs/secrets.md): the same, as root.
STACK_ENV_FILES=( )

# For the fleet scripts: STACK_NAME names the repo's copy on a target deployed without local Nix,
# STACK_DEPLOYER is nixos-rebuild, deploy-rs or colmena, STACK_SUDO is password or nopasswd.
STACK_NAME=lan-fleet
STACK_DEPLOYER=nixos-rebuild
STACK_SUDO=password

# load_target NAME: load_host NAME, then HOST_USER (the SSH login of deploys) and HOST_TAGS
# (its tags, space-separated); fails (status 1) for any other name.
load_target() {
  load_host "$1" || return 1
  case "$1" in
    lab-server) HOST_USER=alice HOST_TAGS=lab ;;
    dev-workstation) HOST_USER=alice HOST_TAGS=dev ;;
    media-center) HOST_USER=alice HOST_TAGS=media ;;
  esac
}
