import { describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";
import { previousSecretsBackend, secretsSwitchMessage, secretsSwitchSteps } from "./secrets-switch.js";

const withBackend = (backend: Stack["secrets"]["backend"]) => validStack({ ...vpsStack(), secrets: { backend } } as never);

describe("previousSecretsBackend", () => {
  it("reads the backend of the last render from the managed files in the lock", () => {
    expect(previousSecretsBackend([])).toBeUndefined();
    expect(previousSecretsBackend(["flake.nix", ".sops.yaml", "modules/secrets.nix"])).toBe("sops");
    expect(previousSecretsBackend(["flake.nix", "secrets/secrets.nix", "modules/secrets.nix"])).toBe("agenix");
    expect(previousSecretsBackend(["flake.nix", "hosts/vps-x86/default.nix"])).toBe("env-file");
  });
});

describe("secretsSwitchSteps", () => {
  it("says nothing when the backend did not change, or for a new repo", () => {
    expect(secretsSwitchSteps("agenix", withBackend("agenix"))).toEqual([]);
    expect(secretsSwitchMessage(undefined, withBackend("sops"))).toBeUndefined();
  });

  it("from sops back to env-file: decrypt each secret onto the server, drop the encrypted file, stop un-ignoring secrets/", () => {
    const steps = secretsSwitchSteps("sops", withBackend("env-file"));
    expect(steps[0]).toContain("gateway: write its KEY=value lines from `sops -d secrets/gateway.env` to the server");
    expect(steps[0]).toContain("`git rm secrets/gateway.env`");
    expect(steps.at(-1)).toContain("`!/secrets/*.env`");
  });
});
