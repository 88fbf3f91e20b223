/**
 * add-instance / remove-instance: one instance more or less of a web-app service, as a manifest
 * edit through the same pipeline as add-service (validate the whole manifest, then write).
 */
import { servicePorts, StackError, type Stack, type WebAppService } from "@nixos-stack/core";
import { hostIndex } from "../add-service/host-index.js";
import type { ManifestEdit } from "../manifest-edit/edit.js";
import { appendToArray, removeFromArray } from "../manifest-edit/json-text.js";

export interface InstanceAnswers {
  /** the web-app service */
  service: string;
  /** its host; needed only when several hosts run a service of that name */
  host?: string;
  name: string;
  port?: number;
  subdomain?: string;
}

/** The host and service indexes of the web-app `service` (on `host` when given). */
export function findWebApp(stack: Stack, service: string, host?: string): { hostIndex: number; serviceIndex: number; app: WebAppService } {
  const hosts = host !== undefined ? [hostIndex(stack, host)] : stack.hosts.map((_, i) => i);
  const found = hosts.flatMap((i) => stack.hosts[i]!.services.flatMap((s, j) => (s.kind === "web-app" && s.name === service ? [{ hostIndex: i, serviceIndex: j, app: s }] : [])));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new StackError("invalid-flag", `--service: ${service} runs on ${found.map((f) => stack.hosts[f.hostIndex]!.name).join(" and ")}; say which with --host`);
  const apps = stack.hosts.flatMap((h) => h.services.flatMap((s) => (s.kind === "web-app" ? [`${s.name} (on ${h.name})`] : [])));
  throw new StackError("invalid-flag", `--service: ${JSON.stringify(service)} is not a web-app service${host !== undefined ? ` of ${host}` : ""}; ${apps.length ? `the web-apps are ${apps.join(", ")}` : "the repo has none (add one: add-service --kind web-app)"}`);
}

/** The lowest port above the app's highest instance port that nothing on the host uses (SSH, any service). */
export function nextFreePort(stack: Stack, hostIdx: number, app: WebAppService): number {
  const host = stack.hosts[hostIdx]!;
  const used = new Set([host.deploy.sshPort, ...host.services.flatMap((s) => servicePorts(s).map((p) => p.port))]);
  let port = Math.max(...app.instances.map((i) => i.port)) + 1;
  while (used.has(port)) port += 1;
  if (port > 65535) throw new StackError("invalid-flag", "--port: no free port above the app's instances; choose one with --port");
  return port;
}

export function addInstanceEdit(answers: InstanceAnswers): ManifestEdit {
  return {
    title: `add-instance ${answers.name} to ${answers.service}`,
    apply: (doc) => {
      const { hostIndex: i, serviceIndex: j, app } = findWebApp(doc.stack, answers.service, answers.host);
      const entry = { name: answers.name, port: answers.port ?? nextFreePort(doc.stack, i, app), subdomain: answers.subdomain ?? answers.name };
      return appendToArray(doc.text, ["hosts", i, "services", j, "instances"], entry);
    },
    notes: (_before, after) => {
      const { app } = findWebApp(after, answers.service, answers.host);
      const inst = app.instances.at(-1)!;
      return [`${app.name}-${inst.name} listens on 127.0.0.1:${inst.port}, served at https://${inst.subdomain}.${app.domain} once DNS points there: create its secrets file (docs/services/${app.name}.md), then deploy.`];
    },
  };
}

export function removeInstanceEdit(answers: Pick<InstanceAnswers, "service" | "host" | "name">): ManifestEdit {
  return {
    title: `remove-instance ${answers.name} from ${answers.service}`,
    removes: true,
    apply: (doc) => {
      const { hostIndex: i, serviceIndex: j, app } = findWebApp(doc.stack, answers.service, answers.host);
      const k = app.instances.findIndex((inst) => inst.name === answers.name);
      if (k < 0) throw new StackError("invalid-flag", `--name: ${JSON.stringify(answers.name)} is not an instance of ${app.name}; its instances are ${app.instances.map((x) => x.name).join(", ")}`);
      if (app.instances.length === 1) throw new StackError("invalid-flag", `--name: ${answers.name} is ${app.name}'s last instance; remove the service instead (remove-service --name ${app.name})`);
      return removeFromArray(doc.text, ["hosts", i, "services", j, "instances"], k);
    },
    notes: () => [`The instance's database is not dropped (PostgreSQL's ensure* never drops): back it up, then \`sudo -u postgres dropdb ${answers.service}-${answers.name}\` when you no longer need it.`],
  };
}
