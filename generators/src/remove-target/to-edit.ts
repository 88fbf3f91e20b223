/** The manifest edit that removes one host; its files go through the same pipeline (untouched generated files deleted, edited ones kept). */
import { StackError } from "@nixos-stack/core";
import type { ManifestEdit } from "../manifest-edit/edit.js";
import { removeFromArray } from "../manifest-edit/json-text.js";

export function removeTargetEdit(name: string): ManifestEdit {
  return {
    title: `remove-target ${name}`,
    removes: true,
    apply: (doc) => {
      const hosts = doc.stack.hosts;
      const index = hosts.findIndex((h) => h.name === name);
      if (index < 0) {
        throw new StackError("invalid-flag", `--name: ${JSON.stringify(name)} is not a host of nixos-stack.json; its hosts are ${hosts.map((h) => h.name).join(", ")}`);
      }
      if (hosts.length === 1) throw new StackError("invalid-flag", `--name: ${JSON.stringify(name)} is the only host; a repo needs at least one, so add another first`);
      // the validated hosts are the JSON array's items, in order
      return removeFromArray(doc.text, ["hosts"], index);
    },
  };
}
