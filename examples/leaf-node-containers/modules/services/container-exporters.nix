# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# A container's side of its monitoring (./container-metrics.nix is the host's): imported by
# ./containers.nix into every container's config as `(import ./container-exporters.nix).module { … }`.
#
# - Its node exporter leaves out the machine-wide collectors, which read the host's figures
#   inside a container (./node-exporter.nix, hostFigures): the host exports the container's own.
# - A data container runs the exporter of each of its services, once something scrapes them
#   (`scraper`: the address the watching Prometheus connects from), each bound to the
#   container's address and its port opened to that address only (iptables rules in the
#   container's own firewall, after its accepted ports and before its final refusal:
#   nixos/modules/services/networking/firewall-iptables.nix, extraCommands; upstream's
#   exporters.<name>.firewallFilter would add them with ip46tables, and ip6tables refuses an
#   IPv4 source):
#   - PostgreSQL: services.prometheus.exporters.postgres (exporters/postgres.nix, port 9187) as the
#     local superuser over the socket (runAsLocalSuperUser: peer authentication, no password);
#   - Redis: exporters.redis (exporters/redis.nix, port 9121), its password the REDIS_PASSWORD
#     line of the container's secret file, which redis_exporter reads from its environment
#     (oliver006/redis_exporter main.go: -redis.password defaults to $REDIS_PASSWORD): the line
#     alone, copied by redis-<name>-password.service, not the whole file and its other credentials;
#   - NATS: exporters.nats (exporters/nats.nix, port 7777) polling NATS' monitoring endpoint,
#     which listens on 127.0.0.1:8222 only (`http`: it has no authentication of its own);
#   - Qdrant serves /metrics itself, on its HTTP port (./containers.nix opens it to `scraper` too).
# - The monitoring container's Prometheus gets the host's scrape jobs (./container-metrics.nix).
let
  # upstream's ports (nixos/modules/services/monitoring/prometheus/exporters/{postgres,redis,nats}.nix)
  ports = {
    postgresql = 9187;
    redis = 9121;
    nats = 7777;
  };
  natsMonitor = "127.0.0.1:8222";
in
{
  inherit ports;

  module =
    {
      # the container's name and its stack.containers.instances entry
      name,
      c,
      # the address the watching Prometheus connects from, or null
      scraper,
      # the jobs a monitoring container's Prometheus scrapes
      scrapeConfigs,
      # the REDIS_PASSWORD line of the container's secret file, alone (./containers.nix)
      redisExporterEnv,
    }:
    { lib, ... }:
    let
      exporting = scraper != null && c.role == "data";
      openTo = port: "iptables -w -A nixos-fw -p tcp -s ${scraper} --dport ${toString port} -j nixos-fw-accept";
    in
    {
      config = lib.mkMerge [
        { stack.nodeExporter.hostFigures = false; }
        (lib.mkIf (exporting && c.postgresql != null) {
          services.prometheus.exporters.postgres = {
            enable = true;
            listenAddress = c.address;
            port = ports.postgresql;
            runAsLocalSuperUser = true;
          };
          networking.firewall.extraCommands = openTo ports.postgresql;
          stack.vmTest.units = [ "prometheus-postgres-exporter.service" ];
        })
        (lib.mkIf (exporting && c.redis != null) {
          services.prometheus.exporters.redis = {
            enable = true;
            listenAddress = c.address;
            port = ports.redis;
            extraFlags = [ "-redis.addr=redis://${c.address}:${toString c.redis.port}" ];
          };
          # "-": without the secret file it still runs, and reports redis_up 0 (Redis waits for it too)
          systemd.services.prometheus-redis-exporter = {
            wants = [ "redis-${name}-password.service" ];
            after = [ "redis-${name}-password.service" ];
            serviceConfig.EnvironmentFile = "-${redisExporterEnv}";
          };
          networking.firewall.extraCommands = openTo ports.redis;
          stack.vmTest.units = [ "prometheus-redis-exporter.service" ];
        })
        (lib.mkIf (exporting && c.nats != null) {
          services.nats.settings.http = natsMonitor;
          services.prometheus.exporters.nats = {
            enable = true;
            listenAddress = c.address;
            port = ports.nats;
            url = "http://${natsMonitor}";
            extraFlags = [
              "-varz"
              "-healthz"
            ];
          };
          networking.firewall.extraCommands = openTo ports.nats;
          stack.vmTest.units = [ "prometheus-nats-exporter.service" ];
        })
        (lib.mkIf (c.role == "monitoring") { services.prometheus.scrapeConfigs = scrapeConfigs; })
      ];
    };
}
