import { describe, expect, it } from "vitest";
import { formatFieldError, validateStack } from "../validate.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const monitoring = { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true };
const EMAIL = { receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" };
const stackWith = (service: Record<string, unknown>) => ({ name: "infra", admins: [{ name: "alice", sshKeys: [KEY] }], hosts: [{ name: "web-1", services: [service] }] });
const containersWith = (container: Record<string, unknown>) =>
  stackWith({ kind: "containers", externalInterface: "ens3", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, containers: [{ role: "monitoring", name: "monitoring", address: "10.233.1.9", ...container }] });

function errorsOf(input: unknown): string[] {
  const r = validateStack(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.errors.map(formatFieldError);
}

describe("the monitoring kind's alerting receiver", () => {
  it("must be chosen: a monitoring service or container without one is refused, the message naming the three choices", () => {
    for (const input of [stackWith(monitoring), containersWith({})]) {
      const errors = errorsOf(input).join("\n");
      expect(errors).toMatch(/\.alerting: is required: choose who is notified when an alert fires: .*"receiver": "email".*"receiver": "webhook".*"receiver": "none"\} \(nobody is notified\)/);
    }
  });

  it("takes e-mail (TLS required by default), a webhook or an explicit none", () => {
    const email = validateStack(stackWith({ ...monitoring, alerting: EMAIL }));
    expect(email.ok && email.stack.hosts[0]!.services[0]).toMatchObject({ alerting: { ...EMAIL, requireTls: true } });
    for (const receiver of ["webhook", "none"]) expect(validateStack(stackWith({ ...monitoring, alerting: { receiver } })).ok, receiver).toBe(true);
    expect(validateStack(containersWith({ alerting: { receiver: "none" } })).ok).toBe(true);
  });

  it("refuses an unknown receiver, naming the choices, and a secret or a bad address in the manifest, naming the field", () => {
    expect(errorsOf(stackWith({ ...monitoring, alerting: { receiver: "pager" } }))).toContainEqual(expect.stringMatching(/^hosts\[0\]\.services\[0\]\.alerting\.receiver: "pager" — use one of "email", "webhook", "none"$/));
    // the URL and the password belong to the secret file: no field takes them
    expect(errorsOf(stackWith({ ...monitoring, alerting: { receiver: "webhook", url: "https://hooks.example.com/T0K3N" } })).join("\n")).toMatch(/alerting: unknown field "url"/);
    expect(errorsOf(stackWith({ ...monitoring, alerting: { ...EMAIL, password: "hunter2" } })).join("\n")).toMatch(/alerting: unknown field "password"/);
    const bad = errorsOf(stackWith({ ...monitoring, alerting: { ...EMAIL, to: "Ops <ops@example.com>", smarthost: "smtp.example.com", username: "a$(reboot)" } })).join("\n");
    expect(bad).toMatch(/alerting\.to: .*plain e-mail address/);
    expect(bad).toMatch(/alerting\.smarthost: .*host:port of the SMTP server/);
    expect(bad).toMatch(/alerting\.username: .*SMTP account name/);
  });
});
