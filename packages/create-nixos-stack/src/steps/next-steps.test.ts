import { describe, expect, it } from "vitest";
import { validateStack, type Stack } from "@nixos-stack/core";
import { presetStack } from "@nixos-stack/templates";
import { createColors } from "../io.js";
import { nextSteps } from "./next-steps.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack";

function stack(sshKeys: string[]): Stack {
  const result = validateStack(presetStack("vps", { name: "infra", sshKeys }));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.stack;
}

describe("next steps", () => {
  const plain = createColors(false);

  it("name ./stack.sh, which the new repo carries, for sync and check: commands that work before and after publishing", () => {
    const withoutKey = nextSteps(stack([]), `${process.cwd()}/infra`, plain);
    expect(withoutKey).toContain("\n  ./stack.sh sync\n");
    expect(withoutKey).toMatch(/^ {2}\.\/stack\.sh check /m);
    expect(withoutKey).not.toMatch(/npm create|npx /);
    // with a key there is nothing to re-sync, but the check is still the first step
    const withKey = nextSteps(stack([KEY]), `${process.cwd()}/infra`, plain);
    expect(withKey).not.toMatch(/^ {2}\.\/stack\.sh sync$/m);
    expect(withKey.indexOf("./stack.sh check")).toBeLessThan(withKey.indexOf("./bootstrap.sh"));
  });
});

describe("next steps of a fleet", () => {
  const plain = createColors(false);
  const fleet = (() => {
    const result = validateStack(presetStack("fleet", { name: "lab", sshKeys: [KEY] }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.stack;
  })();

  it("name the fleet's own scripts and its bootstrap guide, not the VPS preset's bootstrap.sh and update.sh (a fleet repo has neither)", () => {
    const steps = nextSteps(fleet, `${process.cwd()}/lab`, plain);
    expect(steps).toContain("docs/bootstrap.md");
    expect(steps).toMatch(/^ {2}\.\/deploy\.sh lab-server --dry-run /m);
    expect(steps).toMatch(/^ {2}\.\/deploy-all\.sh /m);
    expect(steps).toMatch(/^ {2}\.\/status\.sh /m);
    expect(steps).not.toMatch(/bootstrap\.sh|update\.sh/);
  });
});
