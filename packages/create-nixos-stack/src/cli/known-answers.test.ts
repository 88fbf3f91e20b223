import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { answersFromFlags, readSshKeyFlag } from "./known-answers.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const KEY2 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFYfJMTtVUe/vsvNnsM/MREBvwmXv9bkyHUgeqgS36Yxf5uSOunglFUOlAUAXlGXT5Ow3bj38nS2qnfa3uHPEPM= me@desktop";
const dir = mkdtempSync(join(tmpdir(), "nixos-stack-sshkey-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

it("takes a key line as it is", () => {
  expect(readSshKeyFlag(`  ${KEY}  `)).toEqual([KEY]);
});

it("reads a file whose name starts like a key type, instead of taking the name for a key", () => {
  const path = file("ssh-laptop.pub", `${KEY}\n`);
  expect(readSshKeyFlag(path)).toEqual([KEY]);
});

it("keeps every key of a file, with CRLF line ends too", () => {
  expect(readSshKeyFlag(file("two.pub", `${KEY}\n${KEY2}\n`))).toEqual([KEY, KEY2]);
  expect(readSshKeyFlag(file("windows.pub", `${KEY}\r\n${KEY2}\r\n`))).toEqual([KEY, KEY2]);
  expect(readSshKeyFlag(file("authorized_keys", `# team\n${KEY}\n\n${KEY2}`))).toEqual([KEY, KEY2]);
});

it("names what is wrong with a directory, a private key, a missing file and a file of something else", () => {
  mkdirSync(join(dir, "keys"));
  expect(() => readSshKeyFlag(join(dir, "keys"))).toThrow(`--ssh-key ${join(dir, "keys")}: is a directory; give the public key file in it`);
  expect(() => readSshKeyFlag(file("id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n"))).toThrow(
    "is a PRIVATE key: give the public key (the .pub file beside it), never the private one",
  );
  expect(() => readSshKeyFlag(join(dir, "nope.pub"))).toThrow("neither a public key line nor an existing file");
  expect(() => readSshKeyFlag(file("config", "Host vps\n  Port 2222\n"))).toThrow("line 1 is not a public key line");
});

it("collects the keys of every --ssh-key given", () => {
  const answers = answersFromFlags({ sshKey: [KEY, file("more.pub", `${KEY2}\n`)], gateway: true, yes: true, dryRun: false, force: false, git: true, sync: false });
  expect(answers.sshKeys).toEqual([KEY, KEY2]);
});
