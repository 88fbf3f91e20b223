#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Health check of this repo's container hosts (generated from nixos-stack.json; managed file).
# Checks that each container runs (nixos-container status), each service inside it is active
# (systemctl -M <container> is-active), each port answers at the container's address, each
# public certificate is not about to expire, each data container's PostgreSQL has no login role
# without a password, and each backup job's last archive is recent.
# Exits non-zero and names every failing item.
#
# Root: `systemctl -M` enters the container and /var/lib/acme/<domain> is acme:nginx 0750, so
# those checks run through `sudo -n` unless this runs as root (the admins' sudo, modules/
# security.nix: passwordless by default; with a password, run it as root or with --ssh root@…).
# The certificate check uses the host's openssl, which modules/services/containers.nix installs.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/health-check.sh [--host NAME] [--ssh USER@ADDRESS[:PORT]] [--port PORT]
                               [--json] [--dry-run] [--cert-days N] [--backup-max-age-hours N]

Checks, on a host of this repo that runs containers:
  container  each container is up (nixos-container status <name>)
  unit       each service inside it is active (systemctl -M <name> is-active <unit>)
  port       each port answers at the container's address (TCP connect, 3 s)
  pg-roles   no PostgreSQL login role but postgres (peer only) lacks a password (pg_authid)
  cert       each public name's ACME certificate is valid for N more days (default 14)
  backup     each borg job's last archive is at most N hours old (default 48)

Options:
  --host NAME               which host's containers to check (default: the only one)
  --ssh USER@ADDRESS[:PORT] run the checks on the host over SSH (default: run them here, on the host);
                            an IPv6 address with a port is USER@[ADDRESS]:PORT
  --port PORT               the host's SSH port (default: its deploy.sshPort in nixos-stack.json)
  --json                    print the results as one JSON array instead of lines
  --dry-run                 print the commands the checks would run, run nothing
  --cert-days N             fail a certificate that expires within N days
  --backup-max-age-hours N  fail a backup older than N hours
  -h, --help                show this help

Exit status: 0 when every check passes, 1 when one fails (each failure is named), 2 on bad usage.
The unit, PostgreSQL and certificate checks need root: they run through `sudo -n` unless run as root.
USAGE
}

host=""
ssh_target=""
ssh_port=""
json=false
dry_run=false
cert_days=14
backup_max_age_hours=48

while [ $# -gt 0 ]; do
  case "$1" in
    --host) host="${2:?--host needs a host name}"; shift 2 ;;
    --ssh) ssh_target="${2:?--ssh needs USER@ADDRESS}"; shift 2 ;;
    --port) ssh_port="${2:?--port needs a port number}"; shift 2 ;;
    --json) json=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    --cert-days) cert_days="${2:?--cert-days needs a number}"; shift 2 ;;
    --backup-max-age-hours) backup_max_age_hours="${2:?--backup-max-age-hours needs a number}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "health-check.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case "$cert_days$backup_max_age_hours" in
  *[!0-9]*) echo "health-check.sh: --cert-days and --backup-max-age-hours take whole numbers" >&2; exit 2 ;;
esac

# USER@ADDRESS:PORT and USER@[IPV6]:PORT carry the port; --port gives it otherwise
if [[ "$ssh_target" =~ ^(.*@)?\[([^]]+)\]:([0-9]+)$ ]]; then
  ssh_target="${BASH_REMATCH[1]}${BASH_REMATCH[2]}"
  ssh_port="${ssh_port:-${BASH_REMATCH[3]}}"
elif [[ "$ssh_target" =~ ^([^:]*):([0-9]+)$ ]]; then
  ssh_target="${BASH_REMATCH[1]}"
  ssh_port="${ssh_port:-${BASH_REMATCH[2]}}"
fi
case "$ssh_port" in
  *[!0-9]*) echo "health-check.sh: --port takes a port number, not '$ssh_port'" >&2; exit 2 ;;
esac

HOSTS=(leaf-1)
if [ -z "$host" ]; then
  if [ "${#HOSTS[@]}" -ne 1 ]; then
    echo "health-check.sh: this repo has several container hosts (${HOSTS[*]}); pick one with --host" >&2
    exit 2
  fi
  host="${HOSTS[0]}"
fi

# each host's SSH port (deploy.sshPort), used over --ssh unless --port or :PORT says otherwise
case "$host" in
  leaf-1) default_ssh_port=2222 ;;
  *) default_ssh_port=22 ;;
esac
ssh_port="${ssh_port:-$default_ssh_port}"

# Runs a command on the host: here, or over SSH with every argument quoted for the remote shell.
on_host() {
  if [ "$dry_run" = true ]; then
    if [ -n "$ssh_target" ]; then printf 'ssh -p %q %q --' "$ssh_port" "$ssh_target"; fi
    printf ' %q' "$@"
    printf '\n'
    return 0
  fi
  if [ -n "$ssh_target" ]; then
    local quoted
    quoted=$(printf ' %q' "$@")
    ssh -o BatchMode=yes -p "$ssh_port" "$ssh_target" -- "$quoted"
  else
    "$@"
  fi
}

# Runs a command on the host as root: directly when this already is root (here, or --ssh
# root@…), else through sudo -n (never a password prompt: a refusal is reported as the check's failure).
on_host_root() {
  local remote_user=${ssh_target%%@*}
  if { [ -n "$ssh_target" ] && [ "$remote_user" != "$ssh_target" ] && [ "$remote_user" = root ]; } || { [ -z "$ssh_target" ] && [ "$(id -u)" = 0 ]; }; then
    on_host "$@"
  else
    on_host sudo -n "$@"
  fi
}

failures=()
results=()

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

report() {
  local check=$1 item=$2 ok=$3 detail=$4
  if [ "$json" = true ]; then
    results+=("{\"check\":$(json_string "$check"),\"item\":$(json_string "$item"),\"ok\":$ok,\"detail\":$(json_string "$detail")}")
  elif [ "$dry_run" = false ]; then
    if [ "$ok" = true ]; then printf 'ok    %-9s %s: %s\n' "$check" "$item" "$detail"; else printf 'FAIL  %-9s %s: %s\n' "$check" "$item" "$detail"; fi
  fi
  if [ "$ok" != true ]; then failures+=("$check $item: $detail"); fi
}

check_container() {
  local name=$1 status
  status=$(on_host nixos-container status "$name" 2>&1) || true
  [ "$dry_run" = true ] && { printf '%s\n' "$status"; return 0; }
  if [ "$status" = up ]; then report container "$name" true "up"; else report container "$name" false "not running (nixos-container status: ${status:-no answer}); start it: systemctl start container@$name"; fi
}

check_unit() {
  local name=$1 unit=$2 state
  state=$(on_host_root systemctl -M "$name" is-active "$unit" 2>&1) || true
  [ "$dry_run" = true ] && { printf '%s\n' "$state"; return 0; }
  if [ "$state" = active ]; then report unit "$name/$unit" true "active"; else report unit "$name/$unit" false "${state:-unknown}; see: journalctl -M $name -u $unit"; fi
}

check_port() {
  local name=$1 address=$2 port=$3 out
  if out=$(on_host timeout 3 bash -c "exec 3<>/dev/tcp/$address/$port" 2>&1); then
    [ "$dry_run" = true ] && { printf '%s\n' "$out"; return 0; }
    report port "$name $address:$port" true "answers"
  else
    report port "$name $address:$port" false "does not answer"
  fi
}

# the login roles of a data container's PostgreSQL without a password: nothing can log in as
# them over the network (scram-sha-256) until postgresql-passwords.service sets it from the
# container's secret file; postgres itself logs in by peer authentication only
check_pg_roles() {
  local name=$1 port=$2 out
  if ! out=$(on_host_root nixos-container run "$name" -- runuser -u postgres -- psql -X -tA -p "$port" -d postgres \
    -c "SELECT rolname FROM pg_authid WHERE rolcanlogin AND rolpassword IS NULL AND rolname <> 'postgres' ORDER BY 1" 2>&1); then
    report pg-roles "$name" false "cannot read pg_authid (${out##*$'\n'}); see: journalctl -M $name -u postgresql"
    return 0
  fi
  [ "$dry_run" = true ] && { printf '%s\n' "$out"; return 0; }
  if [ -z "$out" ]; then
    report pg-roles "$name" true "every login role has a password"
  else
    report pg-roles "$name" false "login roles without a password: ${out//$'\n'/, }; add their PG_PASSWORD_<DATABASE> lines to the container's secret file, then: systemctl -M $name restart postgresql-passwords"
  fi
}

openssl_found=""
check_cert() {
  local domain=$1 out
  if [ -z "$openssl_found" ] && [ "$dry_run" = false ]; then
    if on_host sh -c 'command -v openssl' > /dev/null 2>&1; then openssl_found=yes; else openssl_found=no; fi
  fi
  if [ "$openssl_found" = no ]; then
    report cert "$domain" false "openssl is not on the host's PATH (modules/services/containers.nix installs it: deploy this repo first)"
    return 0
  fi
  if out=$(on_host_root openssl x509 -checkend "$((cert_days * 86400))" -noout -in "/var/lib/acme/$domain/cert.pem" 2>&1); then
    [ "$dry_run" = true ] && { printf '%s\n' "$out"; return 0; }
    report cert "$domain" true "valid for $cert_days more days"
  else
    report cert "$domain" false "expires within $cert_days days, is missing (/var/lib/acme/$domain/cert.pem) or cannot be read (${out##*$'\n'}); see: systemctl status acme-$domain"
  fi
}

# modules/services/backup.nix writes stack_backup_last_success_timestamp_seconds{borg_job="<job>"} <unix time>
check_backup() {
  local job=$1 line last now age
  line=$(on_host cat "/var/lib/node-exporter-textfile/borg-$job.prom" 2>/dev/null | grep '^stack_backup_last_success_timestamp_seconds' || true)
  [ "$dry_run" = true ] && { printf '%s\n' "$line"; return 0; }
  last=${line##* }
  case "$last" in
    '' | *[!0-9]*) report backup "$job" false "no successful archive recorded; see: journalctl -u borgbackup-job-$job"; return 0 ;;
  esac
  now=$(date +%s)
  age=$(((now - last) / 3600))
  if [ "$age" -le "$backup_max_age_hours" ]; then report backup "$job" true "last archive ${age}h ago"; else report backup "$job" false "last archive ${age}h ago (more than ${backup_max_age_hours}h); see: journalctl -u borgbackup-job-$job"; fi
}

case "$host" in
  leaf-1)
    check_container data
    check_unit data postgresql.service
    check_unit data postgresql-passwords.service
    check_unit data redis-data.service
    check_unit data nats.service
    check_unit data qdrant.service
    check_unit data prometheus-postgres-exporter.service
    check_unit data prometheus-redis-exporter.service
    check_unit data prometheus-nats-exporter.service
    check_unit data prometheus-node-exporter.service
    check_port data 10.233.1.2 4222
    check_port data 10.233.1.2 5432
    check_port data 10.233.1.2 6333
    check_port data 10.233.1.2 6334
    check_port data 10.233.1.2 6379
    check_port data 10.233.1.2 9100
    check_container graph
    check_unit graph graph.service
    check_unit graph prometheus-node-exporter.service
    check_port graph 10.233.1.3 8080
    check_port graph 10.233.1.3 9100
    check_container workflow
    check_unit workflow workflow.service
    check_unit workflow prometheus-node-exporter.service
    check_port workflow 10.233.1.4 8081
    check_port workflow 10.233.1.4 9100
    check_container agent
    check_unit agent agent.service
    check_unit agent prometheus-node-exporter.service
    check_port agent 10.233.1.5 8082
    check_port agent 10.233.1.5 9100
    check_container monitoring
    check_unit monitoring prometheus.service
    check_unit monitoring grafana.service
    check_unit monitoring prometheus-node-exporter.service
    check_port monitoring 10.233.1.9 3000
    check_port monitoring 10.233.1.9 9090
    check_port monitoring 10.233.1.9 9100
    check_pg_roles data 5432
    check_cert graph.example.com
    check_cert workflow.example.com
    check_cert agent.example.com
    check_cert monitoring.example.com
    check_backup backup
    ;;
  *) echo "health-check.sh: no containers on host '$host' (hosts with containers: ${HOSTS[*]})" >&2; exit 2 ;;
esac

if [ "$json" = true ]; then
  (IFS=,; printf '[%s]\n' "${results[*]}")
fi
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'health-check.sh: %d check(s) failed on %s:\n' "${#failures[@]}" "$host" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
