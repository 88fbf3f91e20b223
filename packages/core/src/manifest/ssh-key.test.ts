import { describe, expect, it } from "vitest";
import { looksLikeKeyLine, PLACEHOLDER_SSH_KEY, publicKeysInFile, sshKeyProblem } from "./ssh-key.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const KEY2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@desktop";

describe("SSH public keys", () => {
  it("tells a key line from a file name that starts like one", () => {
    expect(looksLikeKeyLine(KEY)).toBe(true);
    expect(looksLikeKeyLine("ssh-ed25519 AAAA")).toBe(true); // a truncated key is still a key, reported by the schema
    expect(looksLikeKeyLine("ssh-laptop.pub")).toBe(false);
    expect(looksLikeKeyLine("ssh-keys/work key.pub")).toBe(false);
    expect(looksLikeKeyLine("Host vps")).toBe(false); // a line of ~/.ssh/config
  });

  it("refuses the published placeholder key whatever its comment, and only it", () => {
    expect(sshKeyProblem(PLACEHOLDER_SSH_KEY)).toContain("is the placeholder key");
    expect(sshKeyProblem(`${PLACEHOLDER_SSH_KEY} admin@example`)).toContain("ssh-keygen -t ed25519");
    expect(sshKeyProblem(KEY)).toBeUndefined();
  });

  it("reads every key of a file, LF or CRLF, skipping blank lines and comments", () => {
    expect(publicKeysInFile(`${KEY}\n`)).toEqual({ ok: true, keys: [KEY] });
    expect(publicKeysInFile(`${KEY}\r\n${KEY2}\r\n`)).toEqual({ ok: true, keys: [KEY, KEY2] });
    expect(publicKeysInFile(`\uFEFF# laptop and desktop\n\n${KEY}\n  ${KEY2}  \n`)).toEqual({ ok: true, keys: [KEY, KEY2] });
  });

  it("refuses private keys, SSH2-format keys, empty files and other text, saying what to give instead", () => {
    const problem = (text: string) => {
      const r = publicKeysInFile(text);
      return r.ok ? undefined : r.problem;
    };
    expect(problem("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n")).toContain("is a PRIVATE key: give the public key (the .pub file beside it)");
    expect(problem("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n")).toContain("is a PRIVATE key");
    expect(problem("PuTTY-User-Key-File-3: ssh-ed25519\n")).toContain("is a PRIVATE key");
    expect(problem('---- BEGIN SSH2 PUBLIC KEY ----\nComment: "x"\nAAAA\n---- END SSH2 PUBLIC KEY ----\n')).toContain("ssh-keygen -i -f");
    expect(problem("\n# nothing here\n")).toContain("has no public key line");
    expect(problem(`${KEY}\nHost example.org\n`)).toContain("line 2 is not a public key line");
  });
});
