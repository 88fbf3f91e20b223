#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Find SSH hosts on the local network, to add as targets. Only ever run by you: no other
# script calls it.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./discover-targets.sh [options]

Scans the local IPv4 subnet with nmap for machines with an open SSH port and lists them with
their host names (reverse DNS) and, for those already in nixos-stack.json, the target's name.
It probes every address of the subnet: scan only networks you are allowed to.

Options:
  --subnet CIDR        the network to scan, e.g. 192.168.1.0/24 (default: the subnet of this
                       machine's default route, from `ip`; /16 or smaller)
  --ports LIST         TCP ports to try, comma-separated (default: 22 and the targets' deploy.sshPort)
  --dry-run            print the nmap command, run nothing
  -h, --help           this help
USAGE
}

cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=deploy/lib.sh
source deploy/lib.sh
# shellcheck source=deploy/inventory.sh
source deploy/inventory.sh
# shellcheck source=deploy/fleet-lib.sh
source deploy/fleet-lib.sh

SUBNET="" PORTS="" DRY_RUN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --subnet) need_value "$@"; SUBNET="$2"; shift 2 ;;
    --ports) need_value "$@"; PORTS="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option or argument: $1" ;;
  esac
done

# ipv4_int A.B.C.D: the address as a number.
ipv4_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  printf '%s\n' $(((a << 24) | (b << 16) | (c << 8) | d))
}

# network_of A.B.C.D/N: the network address of that subnet, as A.B.C.D/N.
network_of() {
  local ip="${1%/*}" bits="${1#*/}" n mask
  n="$(ipv4_int "$ip")"
  mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))
  n=$((n & mask))
  printf '%s.%s.%s.%s/%s\n' $(((n >> 24) & 255)) $(((n >> 16) & 255)) $(((n >> 8) & 255)) $((n & 255)) "$bits"
}

# local_subnet: the IPv4 subnet of the interface that holds the default route.
local_subnet() {
  command -v ip >/dev/null 2>&1 || die "cannot find the local subnet without the \`ip\` command: pass --subnet, e.g. --subnet 192.168.1.0/24"
  local route dev="" word prev="" addr=""
  route="$(ip -o -4 route show default 2>/dev/null || true)"
  for word in $route; do
    if [[ "$prev" == dev ]]; then dev="$word"; break; fi
    prev="$word"
  done
  [[ -n "$dev" ]] || die "no IPv4 default route here: pass --subnet, e.g. --subnet 192.168.1.0/24"
  prev=""
  for word in $(ip -o -4 addr show dev "$dev" scope global 2>/dev/null || true); do
    if [[ "$prev" == inet ]]; then addr="$word"; break; fi
    prev="$word"
  done
  [[ "$addr" == */* ]] || die "no IPv4 address on $dev (the default route's interface): pass --subnet, e.g. --subnet 192.168.1.0/24"
  network_of "$addr"
}

OCTET='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
CIDR_RE="^$OCTET\\.$OCTET\\.$OCTET\\.$OCTET/([0-9]|[12][0-9]|3[0-2])$"
if [[ -z "$SUBNET" ]]; then SUBNET="$(local_subnet)"; fi
[[ "$SUBNET" =~ $CIDR_RE ]] || die "--subnet $SUBNET: use an IPv4 network like 192.168.1.0/24"
((${SUBNET#*/} >= 16)) || die "--subnet $SUBNET: that is more than 65536 addresses; scan a /16 or smaller"

if [[ -z "$PORTS" ]]; then
  PORTS=22
  for name in "${STACK_HOSTS[@]}"; do
    load_host "$name"
    if [[ ",$PORTS," != *",$HOST_SSH_PORT,"* ]]; then PORTS="$PORTS,$HOST_SSH_PORT"; fi
  done
fi
IFS=, read -r -a port_list <<<"$PORTS"
for port in ${port_list[@]+"${port_list[@]}"}; do
  if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1 || 10#$port > 65535)); then die "--ports $PORTS: $port is not a port number (1-65535)"; fi
done

command -v nmap >/dev/null 2>&1 || [[ "$DRY_RUN" == 1 ]] || die "nmap not found: install it (apt install nmap, brew install nmap, or nix shell nixpkgs#nmap)"

# -oG -: one "Host: ADDR (NAME)<TAB>Ports: 22/open/tcp//ssh///, …" line per host with an open port
scan=(nmap -p "$PORTS" --open -oG - "$SUBNET")
printf 'scanning %s for SSH on port %s\n' "$SUBNET" "$PORTS" >&2
if [[ "$DRY_RUN" == 1 ]]; then
  show_cmd "${scan[@]}" >&2
  printf 'dry run: nothing was run\n' >&2
  exit 0
fi
output="$("${scan[@]}")"

# target_at ADDRESS NAME: the target of nixos-stack.json at that address or with that host name, or "-".
target_at() {
  local name short="${2%%.*}"
  for name in "${STACK_HOSTS[@]}"; do
    load_host "$name"
    if [[ "$HOST_ADDRESS" == "$1" || (-n "$HOST_ADDRESS" && "$HOST_ADDRESS" == "$2") || "$name" == "$short" ]]; then
      printf '%s\n' "$name"
      return
    fi
  done
  printf -- '-\n'
}

tab=$'\t'
rows=("ADDRESS${tab}HOST NAME${tab}SSH PORTS${tab}TARGET")
found=0
host_re='^Host: ([0-9.]+) \(([^)]*)\)'
while IFS= read -r line; do
  [[ "$line" == *"Ports: "* && "$line" =~ $host_re ]] || continue
  address="${BASH_REMATCH[1]}" hostname="${BASH_REMATCH[2]}"
  open=""
  read -r -a entries <<<"${line#*Ports: }"
  for entry in ${entries[@]+"${entries[@]}"}; do
    if [[ "$entry" =~ ^([0-9]+)/open/ ]]; then open="${open:+$open,}${BASH_REMATCH[1]}"; fi
  done
  [[ -n "$open" ]] || continue
  rows+=("$address$tab${hostname:--}$tab$open$tab$(target_at "$address" "$hostname")")
  found=$((found + 1))
done <<<"$output"

if ((found == 0)); then
  printf 'no host with an open SSH port (%s) on %s\n' "$PORTS" "$SUBNET"
  exit 0
fi
print_table "${rows[@]}"
printf '\nTo deploy one of them, add it to hosts[] in nixos-stack.json with its deploy.address, then re-sync.\n'
