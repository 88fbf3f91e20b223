/** The manifest edit that removes a service from its host; the pipeline deletes its untouched generated files. */
import { StackError } from "@nixos-stack/core";
import { hostIndex } from "../add-service/host-index.js";
import type { ManifestEdit } from "../manifest-edit/edit.js";
import { removeFromArray } from "../manifest-edit/json-text.js";

export function removeServiceEdit(host: string, name: string): ManifestEdit {
  return {
    title: `remove-service ${name} on ${host}`,
    removes: true,
    apply: (doc) => {
      const i = hostIndex(doc.stack, host);
      const services = doc.stack.hosts[i]!.services;
      const j = services.findIndex((s) => s.name === name);
      if (j < 0) {
        const names = services.map((s) => s.name);
        throw new StackError("invalid-flag", `--name: ${JSON.stringify(name)} is not a service of ${host}; ${names.length ? `its services are ${names.join(", ")}` : "it runs none"}`);
      }
      return removeFromArray(doc.text, ["hosts", i, "services"], j);
    },
  };
}
