/** Two listeners on one port: sshd or a service fails to start, and the host may lose SSH. */
import { servicePorts, type PortUse, type Service } from "./services/index.js";

interface HostPorts {
  deploy: { sshPort: number };
  services: readonly Service[];
}

export interface PortClash {
  /** The field reported (path under the host). */
  path: (string | number)[];
  port: number;
  /** The field that had the port first (path under the host). */
  other: (string | number)[];
}

/**
 * Every port a host listens on, in report order: services first, the SSH port last, so a
 * clash with SSH is reported at deploy.sshPort (what --ssh-port sets) and a clash between
 * services at the later one.
 */
function hostPorts(host: HostPorts): PortUse[] {
  return [...host.services.flatMap((service, i) => servicePorts(service).map((use) => ({ ...use, path: ["services", i, ...use.path] }))), { path: ["deploy", "sshPort"], port: host.deploy.sshPort }];
}

export function portClashes(host: HostPorts): PortClash[] {
  const first = new Map<number, PortUse["path"]>();
  const clashes: PortClash[] = [];
  for (const use of hostPorts(host)) {
    const other = first.get(use.port);
    if (other) clashes.push({ path: use.path, port: use.port, other });
    else first.set(use.port, use.path);
  }
  return clashes;
}
