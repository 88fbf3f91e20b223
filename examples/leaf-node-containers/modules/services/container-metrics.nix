# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# What the Prometheus that watches a containers host scrapes there, besides the host's own node
# exporter (imported by ./containers.nix; each container's side is ./container-exporters.nix).
# That Prometheus is the monitoring container's (it reaches the containers from its address) or,
# without one, the host's own monitoring service (it reaches them from the host's veth address).
#
# - Each container's resources, from the host: a container has no memory, CPU or disk figures of
#   its own inside (its /proc/meminfo and statfs(2) are the host's), so its exporter leaves those
#   out (./node-exporter.nix, hostFigures) and the host reads them from container@<name>.service,
#   whose cgroup is the container's (nixos-containers.nix runs nspawn with --keep-unit in
#   machine.slice; cgroup v2 files per the kernel's Documentation/admin-guide/cgroup-v2.rst):
#   memory.current less the reclaimable page cache (memory.stat inactive_file: the working set, as
#   the kubelet counts it), the lower of memory.high and memory.max where either is set, cpu.stat's
#   usage_usec and throttled_usec, and the bytes under /var/lib/nixos-containers/<name> (du). A
#   root timer writes them every minute for the node exporter's textfile collector as
#   stack_container_* with a `container` label.
# - The jobs: every container's node exporter (job container), each data container's PostgreSQL,
#   Redis and NATS exporters and Qdrant's own /metrics (with its API key when it has one: the
#   QDRANT_API_KEY line of the monitoring secret file, sent as a bearer token, which Qdrant takes
#   as its api-key since 1.7).
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.containers;
  hardening = import ../lib/systemd-hardening.nix { inherit lib; };
  monitoringContainers = lib.filterAttrs (_: c: c.role == "monitoring") cfg.instances;
  hostMonitoring = (config.stack.monitoring.instances or { }) != { };
  dataContainers = lib.filterAttrs (_: c: c.role == "data") cfg.instances;
  names = lib.attrNames cfg.instances;

  inherit (import ./container-exporters.nix) ports;

  target = address: port: "${address}:${toString port}";
  job =
    name: containers: portOf:
    lib.optional (containers != { }) {
      job_name = name;
      static_configs = lib.mapAttrsToList (n: c: {
        targets = [ (target c.address (portOf c)) ];
        labels.container = n;
      }) containers;
    };
  having = service: lib.filterAttrs (_: c: c.${service} != null) dataContainers;

  scrapeConfigs =
    job "container" cfg.instances (c: c.nodeExporterPort)
    ++ job "postgresql" (having "postgresql") (_: ports.postgresql)
    ++ job "redis" (having "redis") (_: ports.redis)
    ++ job "nats" (having "nats") (_: ports.nats)
    ++ map (j: j // { authorization.credentials_file = "/run/prometheus-secrets/qdrant_api_key"; }) (
      job "qdrant" (having "qdrant") (c: c.qdrant.httpPort)
    );

  textfile = config.stack.nodeExporter.textfileDirectory;
  containerResources = pkgs.writeShellApplication {
    name = "container-resources";
    runtimeInputs = [
      pkgs.coreutils
      pkgs.systemd
    ];
    text = ''
      out=${textfile}/containers.prom
      ws="" limit="" cpu="" throttled="" disk=""
      # "key value" lines (memory.stat, cpu.stat)
      field() {
        local k v
        while read -r k v; do [ "$k" = "$1" ] && echo "$v"; done < "$2"
        return 0
      }
      # microseconds as seconds
      seconds() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }
      containers=(${lib.escapeShellArgs names})
      for name in "''${containers[@]}"; do
        label="{container=\"$name\"}"
        size=$(du -sx --block-size=1 "/var/lib/nixos-containers/$name" 2>/dev/null | cut -f1) || size=""
        if [ -n "$size" ]; then disk+="stack_container_disk_usage_bytes$label $size"$'\n'; fi
        group=$(systemctl show --property=ControlGroup --value "container@$name.service")
        dir=/sys/fs/cgroup$group
        # not running: no cgroup (its node exporter's InstanceDown says so)
        if [ -z "$group" ] || [ ! -r "$dir/memory.current" ]; then continue; fi
        current=$(cat "$dir/memory.current")
        inactive=$(field inactive_file "$dir/memory.stat")
        working=$((current - ''${inactive:-0}))
        if [ "$working" -lt 0 ]; then working=0; fi
        ws+="stack_container_memory_working_set_bytes$label $working"$'\n'
        lowest=""
        for file in memory.high memory.max; do
          value=$(cat "$dir/$file" 2>/dev/null) || continue
          [ "$value" = max ] && continue
          if [ -z "$lowest" ] || [ "$value" -lt "$lowest" ]; then lowest=$value; fi
        done
        if [ -n "$lowest" ]; then limit+="stack_container_memory_limit_bytes$label $lowest"$'\n'; fi
        usage=$(field usage_usec "$dir/cpu.stat")
        if [ -n "$usage" ]; then cpu+="stack_container_cpu_usage_seconds_total$label $(seconds "$usage")"$'\n'; fi
        waited=$(field throttled_usec "$dir/cpu.stat")
        if [ -n "$waited" ]; then throttled+="stack_container_cpu_throttled_seconds_total$label $(seconds "$waited")"$'\n'; fi
      done
      # one block per metric family, as the text format wants
      {
        echo "# HELP stack_container_memory_working_set_bytes Memory a container uses that the kernel cannot reclaim (memory.current less inactive page cache)."
        echo "# TYPE stack_container_memory_working_set_bytes gauge"
        printf '%s' "$ws"
        echo "# HELP stack_container_memory_limit_bytes The lower of the container's MemoryHigh= and MemoryMax= (absent when it has neither)."
        echo "# TYPE stack_container_memory_limit_bytes gauge"
        printf '%s' "$limit"
        echo "# HELP stack_container_cpu_usage_seconds_total CPU time the container has used."
        echo "# TYPE stack_container_cpu_usage_seconds_total counter"
        printf '%s' "$cpu"
        echo "# HELP stack_container_cpu_throttled_seconds_total Time the container was held back by its CPUQuota=."
        echo "# TYPE stack_container_cpu_throttled_seconds_total counter"
        printf '%s' "$throttled"
        echo "# HELP stack_container_disk_usage_bytes Bytes under the container's root, /var/lib/nixos-containers/<name>, on the host's file system."
        echo "# TYPE stack_container_disk_usage_bytes gauge"
        printf '%s' "$disk"
      } > "$out.new"
      mv "$out.new" "$out"
    '';
  };
in
{
  options.stack.containers = {
    scraper = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      internal = true;
      readOnly = true;
      default =
        if monitoringContainers != { } then
          (lib.head (lib.attrValues monitoringContainers)).address
        else if hostMonitoring then
          cfg.hostAddress
        else
          null;
      description = "The address the scraping Prometheus reaches the containers from (exporter ports open to it only); null: nothing scrapes them.";
    };
    scrapeConfigs = lib.mkOption {
      type = lib.types.listOf lib.types.attrs;
      internal = true;
      readOnly = true;
      default = scrapeConfigs;
      description = "The scrape jobs of the containers, for the Prometheus that watches this host.";
    };
  };

  config = lib.mkIf (cfg.instances != { } && cfg.scraper != null) (
    lib.mkMerge [
      {
        systemd.services.container-resources = {
          description = "Export each container's memory, CPU and disk use to the node exporter";
          serviceConfig = hardening { unixSockets = true; } // {
            Type = "oneshot";
            ExecStart = lib.getExe containerResources;
            ReadWritePaths = [ textfile ];
            # the node exporter (its own user) reads the file
            UMask = "0022";
            # du reads every container's files, whatever their owner and mode
            CapabilityBoundingSet = [ "CAP_DAC_READ_SEARCH" ];
            Nice = 19;
            IOSchedulingClass = "idle";
          };
        };
        systemd.timers.container-resources = {
          wantedBy = [ "timers.target" ];
          timerConfig = {
            OnBootSec = "1min";
            OnUnitActiveSec = "1min";
          };
        };
      }
      # the host's own Prometheus (no monitoring container) scrapes the containers itself; its
      # scrapeSecrets (Qdrant's key) come with its instance (hosts/<name>/default.nix)
      (lib.mkIf (monitoringContainers == { }) { services.prometheus.scrapeConfigs = scrapeConfigs; })
    ]
  );
}
