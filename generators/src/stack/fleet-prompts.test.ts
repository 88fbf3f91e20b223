/**
 * The create wizard's fleet questions, answered by a scripted inquirer that behaves like the
 * real one where it matters: `when`, `default` (Enter), `filter`, and `validate` (a refused
 * answer is asked again; the refusal is recorded).
 */
import { describe, expect, it } from "vitest";
import { answersToStack } from "./to-stack.js";
import { defaultAnswers } from "./defaults.js";
import { stackGenerator } from "./generator.js";
import type { StackAnswers } from "./answers.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const ENTER = undefined;

interface Question {
  type: string;
  name: string;
  default?: unknown;
  choices?: { value: unknown }[];
  when?: (a: Record<string, unknown>) => boolean;
  filter?: (v: never) => unknown;
  validate?: (v: never) => true | string;
}

function scriptedInquirer(script: unknown[]) {
  const asked: string[] = [];
  const refused: string[] = [];
  const inquirer = {
    async prompt(questions: readonly Question[]) {
      const answers: Record<string, unknown> = {};
      for (const q of questions) {
        if (q.when && !q.when(answers)) continue;
        asked.push(q.name);
        for (;;) {
          if (script.length === 0) throw new Error(`the script ran out at "${q.name}" (asked: ${asked.join(", ")})`);
          const typed = script.shift();
          let value: unknown = typed === ENTER ? (q.default ?? (q.type === "list" ? q.choices![0]!.value : q.type === "confirm" ? true : "")) : typed;
          if (q.type === "number") value = Number(value);
          if (q.filter) value = q.filter(value as never);
          const verdict = q.validate ? q.validate(value as never) : true;
          if (verdict === true) {
            answers[q.name] = value;
            break;
          }
          refused.push(`${q.name}: ${verdict}`);
        }
      }
      return answers;
    },
  };
  return { inquirer, asked, refused, left: () => script.length };
}

async function wizard(known: Partial<StackAnswers>, script: unknown[]) {
  const run = scriptedInquirer(script);
  const config = stackGenerator({ known: { sshKeys: [KEY], ...known }, defaults: defaultAnswers("/tmp/my-fleet", "/nonexistent"), dir: "/tmp/my-fleet" });
  const answers = (await (config.prompts as (i: unknown) => Promise<StackAnswers>)(run.inquirer)) as StackAnswers;
  return { answers, ...run };
}

describe("the fleet's questions in the create wizard", () => {
  it("pressing Enter through every question gives the same three-target fleet as --yes", async () => {
    const { answers, asked, left } = await wizard({ preset: "fleet" }, Array(40).fill(ENTER));
    const prompted = answersToStack(answers);
    const yes = answersToStack({ ...defaultAnswers("/tmp/my-fleet", "/nonexistent"), sshKeys: [KEY], preset: "fleet" });
    expect(prompted.hosts.map((h) => [h.name, h.profile, h.deploy.address, h.tags])).toEqual([
      ["lab-server", "server", "lab-server.local", ["lab"]],
      ["dev-workstation", "workstation", "dev-workstation.local", ["dev"]],
      ["media-center", "media", "media-center.local", ["media"]],
    ]);
    expect(prompted).toEqual(yes);
    // every fleet field had its question; the VPS preset's own were not asked
    expect(asked).toEqual(expect.arrayContaining(["userDescription", "userGroups", "shell", "deployer", "sudo", "system", "address", "profile", "tags", "user", "port"]));
    expect(asked).not.toContain("gateway");
    expect(asked).not.toContain("sshPort");
    expect(left()).toBeGreaterThan(0);
  });

  it("typed answers reach the manifest: the primary user, sudo, deployer and each target's fields", async () => {
    const { answers } = await wizard({ preset: "fleet" }, [
      ENTER, ENTER, ENTER, ENTER, // name, admin, time zone, release (sshKeys known)
      "Ada Lovelace", "docker, libvirtd", "zsh", "deploy-rs", "password",
      "nas", "aarch64-linux", "192.0.2.5", "media", "media, storage", "ada", "2200",
      "",
    ]);
    const stack = answersToStack(answers);
    expect(stack.admins[0]).toMatchObject({ description: "Ada Lovelace", extraGroups: ["docker", "libvirtd"], shell: "zsh" });
    expect(stack.sudo).toBe("password");
    expect(stack.deployer).toBe("deploy-rs");
    expect(stack.hosts).toHaveLength(1);
    expect(stack.hosts[0]).toMatchObject({ name: "nas", system: "aarch64-linux", profile: "media", tags: ["media", "storage"], deploy: { address: "192.0.2.5", user: "ada", sshPort: 2200 } });
  });

  it("a wrong answer is refused with the manifest's rule and asked again", async () => {
    const { answers, refused } = await wizard({ preset: "fleet", deployer: "nixos-rebuild", sudo: "nopasswd", shell: "bash", userGroups: [], userDescription: "" }, [
      ENTER, ENTER, ENTER, ENTER,
      "Lab_1", "lab", ENTER, "lab.local!", ENTER, ENTER, "Bad Tag", "lab", "Root", ENTER, "0", ENTER,
      "lab", "lab2", ENTER, ENTER, ENTER, ENTER, ENTER, ENTER,
      "",
    ]);
    expect(refused).toEqual([
      expect.stringMatching(/^name: .*NixOS hostName rule/),
      expect.stringMatching(/^address: /),
      expect.stringMatching(/^tags: tag "Bad": use lowercase letters/),
      expect.stringMatching(/^user: .*Linux user name rule/),
      expect.stringMatching(/^port: /),
      `name: "lab" is already a target: give each its own name`,
    ]);
    expect(answersToStack(answers).hosts.map((h) => h.name)).toEqual(["lab", "lab2"]);
  });

  it("colmena does not ask how sudo asks (it needs nopasswd); --target skips the target questions", async () => {
    const { answers, asked } = await wizard({ preset: "fleet", targets: [{ name: "box", address: "192.0.2.9" }] }, [ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, "colmena"]);
    expect(asked).not.toContain("sudo");
    expect(asked).not.toContain("system");
    const stack = answersToStack(answers);
    expect(stack.deployer).toBe("colmena");
    expect(stack.sudo).toBe("nopasswd");
    expect(stack.hosts.map((h) => h.name)).toEqual(["box"]);
  });

  it("the VPS preset asks none of the fleet's questions", async () => {
    const { asked } = await wizard({ preset: "vps" }, Array(10).fill(ENTER));
    expect(asked).toEqual(["name", "admin", "sshPort", "timeZone", "nixpkgsBranch", "gateway"]);
  });
});
