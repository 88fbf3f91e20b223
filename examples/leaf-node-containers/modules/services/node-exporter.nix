# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The Prometheus node exporter of this machine (services.prometheus.exporters.node:
# nixos/modules/services/monitoring/prometheus/exporters/node.nix), with the systemd collector
# (failed units) and a textfile directory where this repo's jobs leave metrics of their own: the
# expiry of the ACME certificates (hourly) and the time of each borg job's last archive.
# A host with the monitoring kind imports it; a container imports it to be scraped too.
#
# Inside a container (systemd-nspawn) /proc/meminfo, /proc/stat, /proc/loadavg, /proc/pressure,
# the disk counters and statfs(2) of its root are the host's: a container's exporter would report
# the host's memory, CPU and disk under the container's name, once per container. There
# `hostFigures = false` switches those collectors off; the container's own memory, CPU and disk
# come from its unit's cgroup on the host (./container-metrics.nix).
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.nodeExporter;
  hardening = import ../lib/systemd-hardening.nix { inherit lib; };

  # writes stack_tls_certificate_expiry_timestamp_seconds{domain=...} for each certificate the
  # ACME module keeps (security.acme: /var/lib/acme/<domain>/cert.pem)
  certificateExpiry = pkgs.writeShellApplication {
    name = "tls-certificate-expiry";
    runtimeInputs = [
      pkgs.coreutils
      pkgs.openssl
    ];
    text = ''
      out=${cfg.textfileDirectory}/tls-certificates.prom
      {
        echo "# HELP stack_tls_certificate_expiry_timestamp_seconds When each ACME certificate of this host expires (Unix time)."
        echo "# TYPE stack_tls_certificate_expiry_timestamp_seconds gauge"
        for cert in /var/lib/acme/*/cert.pem; do
          [ -e "$cert" ] || continue
          domain=$(basename "$(dirname "$cert")")
          end=$(openssl x509 -enddate -noout -in "$cert")
          echo "stack_tls_certificate_expiry_timestamp_seconds{domain=\"$domain\"} $(date -d "''${end#notAfter=}" +%s)"
        done
      } > "$out.new"
      mv "$out.new" "$out"
    '';
  };
in
{
  options.stack.nodeExporter = {
    enable = lib.mkEnableOption "the Prometheus node exporter";
    listenAddress = lib.mkOption {
      type = lib.types.str;
      default = "127.0.0.1";
      description = "The address it listens on: 127.0.0.1 when Prometheus runs on the same machine, a container's address when a Prometheus elsewhere scrapes it.";
    };
    port = lib.mkOption {
      type = lib.types.port;
      default = 9100;
      description = "Its port (upstream's default).";
    };
    hostFigures = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Export the machine-wide collectors (memory, CPU, load, pressure, disks, file systems); off in a container, where they are the host's.";
    };
    certificateExpiry = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Export when each ACME certificate of this machine expires (where nginx terminates TLS).";
    };
    textfileDirectory = lib.mkOption {
      type = lib.types.str;
      default = "/var/lib/node-exporter-textfile";
      readOnly = true;
      description = "Where jobs write *.prom files for the textfile collector.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        services.prometheus.exporters.node = {
          enable = true;
          inherit (cfg) listenAddress port;
          enabledCollectors = [ "systemd" ];
          # node_exporter's default collectors that read machine-wide /proc files or statfs(2)
          disabledCollectors = lib.optionals (!cfg.hostFigures) [
            "cpu"
            "diskstats"
            "filesystem"
            "loadavg"
            "meminfo"
            "pressure"
            "vmstat"
          ];
          extraFlags = [ "--collector.textfile.directory=${cfg.textfileDirectory}" ];
        };
        systemd.tmpfiles.rules = [ "d ${cfg.textfileDirectory} 0755 root root -" ];
      }
      (lib.mkIf cfg.certificateExpiry {
        systemd.services.tls-certificate-expiry = {
          description = "Export the expiry of the ACME certificates to the node exporter";
          serviceConfig = hardening { } // {
            Type = "oneshot";
            ExecStart = lib.getExe certificateExpiry;
            ReadWritePaths = [ cfg.textfileDirectory ];
            # the node exporter (its own user) reads the file
            UMask = "0022";
            # /var/lib/acme/<domain> is acme:nginx 0750: read it without owning it
            CapabilityBoundingSet = [ "CAP_DAC_READ_SEARCH" ];
          };
        };
        systemd.timers.tls-certificate-expiry = {
          wantedBy = [ "timers.target" ];
          timerConfig = {
            OnCalendar = "hourly";
            OnBootSec = "2min";
            Persistent = true;
          };
        };
      })
    ]
  );
}
