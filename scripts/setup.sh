#!/usr/bin/env bash
# Installs what nixos-stack needs on a fresh Debian/Ubuntu machine: Nix (the parser the tests
# use), shellcheck, openssh-server and rsync (deploy-script tests), systemd-analyze and
# python3-seccomp (Node run under the units' syscall filter), nginx-light (the WebSocket route
# served), nats-server, jq and postgresql (the containers' credentials), promtool and amtool
# (the alerting tests), pnpm through corepack, the workspace's packages, and builds them (not
# with --no-build: test-all.sh builds in its one turbo run). Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=1
case "${1:-}" in
  --no-build) build=0 ;;
  "") ;;
  -h | --help) echo "usage: scripts/setup.sh [--no-build]"; exit 0 ;;
  *) echo "setup: unknown argument $1 (usage: scripts/setup.sh [--no-build])" >&2; exit 2 ;;
esac

missing=()
command -v nix-instantiate >/dev/null 2>&1 || missing+=(nix-bin)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
[[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
command -v git >/dev/null 2>&1 || missing+=(git)
# the runtime sandbox tests: systemd's syscall groups and libseccomp's bindings for Debian's python3
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
/usr/bin/python3 -c 'import seccomp' >/dev/null 2>&1 || missing+=(python3-seccomp)
# the web-app WebSocket test serves the evaluated vhost with a real nginx on 127.0.0.1
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
# the containers' credentials test runs the merged NATS configuration with the real nats-server
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v jq >/dev/null 2>&1 || missing+=(jq)
# the alerting tests: the real promtool (check rules/config/metrics, test rules) and amtool
# (check-config); without recommends, so no node exporter comes along
tools=()
command -v promtool >/dev/null 2>&1 || tools+=(prometheus)
command -v amtool >/dev/null 2>&1 || tools+=(prometheus-alertmanager)
# the containers' credentials test sets role passwords on a real PostgreSQL server
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || tools+=(postgresql)
if ((${#missing[@]} + ${#tools[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get install ${missing[*]} ${tools[*]}"
    apt-get update -qq
    if ((${#missing[@]})); then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; fi
    # Debian starts the daemons of these packages where systemd runs: stop them, only the tools are wanted
    if ((${#tools[@]})); then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
      systemctl disable --now prometheus.service prometheus-alertmanager.service postgresql.service >/dev/null 2>&1 || true
    fi
  else
    echo "setup: missing ${missing[*]} ${tools[*]}: install them (Debian: sudo apt-get install ${missing[*]} ${tools[*]})" >&2
  fi
fi

# pnpm through corepack (the version is pinned by package.json's packageManager field).
# COREPACK_INTEGRITY_KEYS=0: some registry mirrors serve pnpm without the signatures corepack checks.
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS:-0}"
if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version >/dev/null 2>&1; then
  corepack enable
fi
pnpm install --frozen-lockfile --reporter=silent
if ((build)); then pnpm build --output-logs=errors-only; fi
# the pinned upstream trees the offline flake checks evaluate with (see the README's Tests section)
if command -v nix-store >/dev/null 2>&1; then ./scripts/seed-nix-inputs.sh --status | sed 's/^/setup: pinned input /'; fi
