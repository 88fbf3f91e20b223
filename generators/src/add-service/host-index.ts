/** A host named by --host, or an error that lists the repo's hosts. */
import { StackError, type Stack } from "@nixos-stack/core";

export function hostIndex(stack: Stack, name: string): number {
  const index = stack.hosts.findIndex((h) => h.name === name);
  if (index < 0) throw new StackError("invalid-flag", `--host: ${JSON.stringify(name)} is not a host of nixos-stack.json; its hosts are ${stack.hosts.map((h) => h.name).join(", ")}`);
  return index;
}
