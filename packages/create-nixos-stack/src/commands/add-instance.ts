/**
 * `create-nixos-stack add-instance --service <app> --name <n> [--port p] [--subdomain s]`: one more
 * instance of a web-app service. The port defaults to the next free one above the app's
 * instances, the subdomain to the name; the whole manifest is checked before anything is written.
 */
import { addInstance, formatEditResult } from "@nixos-stack/generators/edit";
import type { Io } from "../io.js";
import { flagValue, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface AddInstanceFlags extends EditFlags {
  service?: string;
  host?: string;
  name?: string;
  port?: string;
  subdomain?: string;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = withRepoOptions(
    repoCommand("add-instance", io)
      .description("Add an instance to a web-app service: its unit, vhost, certificate, database and secrets file.")
      .option("--service <app>", "the web-app service (required)", flagValue("--service"))
      .option("--name <name>", "the instance's name (required)", flagValue("--name"))
      .option("--port <port>", "its port on 127.0.0.1 (default: the next free one above the app's instances)", flagValue("--port"))
      .option("--subdomain <label>", "served at <subdomain>.<domain> (default: its name)", flagValue("--subdomain"))
      .option("--host <host>", "the host, when several run a service of that name", flagValue("--host")),
  );
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<AddInstanceFlags>();
  if (flags.service === undefined || flags.name === undefined) cmd.error("error: --service and --name are required", { exitCode: 2 });
  if (flags.port !== undefined && !/^\d+$/.test(flags.port)) cmd.error(`error: --port ${flags.port}: not a port number`, { exitCode: 2 });
  const result = await addInstance(
    repoDir(flags),
    {
      service: flags.service!,
      name: flags.name!,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: Number(flags.port) } : {}),
      ...(flags.subdomain !== undefined ? { subdomain: flags.subdomain } : {}),
    },
    { dryRun: flags.dryRun },
  );
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
