import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";
import { hostSecretFiles } from "../kinds/registry.js";

const BOT = { kind: "home-service", name: "bot", user: "bot", command: "exec /home/bot/bin/bot", port: 8090 };
const stackWith = (backend: "agenix" | "env-file") => {
  const base = vpsStack();
  return validStack({ ...base, secrets: { backend }, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, BOT] } : h)) } as never);
};

describe("the home-service kind", () => {
  it("is wired into its host only, with its command and port", () => {
    const tree = renderStack(stackWith("env-file"));
    expect(tree.get("modules/services/home-service.nix")).toBeDefined();
    const host = tree.get("hosts/vps-x86/default.nix")!.content;
    expect(host).toContain("../../modules/services/home-service.nix");
    expect(host).toMatch(/bot = \{\s*command = "exec \/home\/bot\/bin\/bot";\s*description = "bot \(home-manager user service\)";\s*port = 8090;\s*user = "bot";\s*\};/);
    expect(tree.get("hosts/vps-arm/default.nix")!.content).not.toContain("home-service");
  });

  it("under env-file, is in bootstrap.sh's list of secrets to copy by hand, as the gateway is", () => {
    expect(renderStack(stackWith("env-file")).get("deploy/inventory.sh")!.content).toMatch(/STACK_GATEWAYS=\( vps-x86\/gateway\/gateway vps-x86\/bot\/bot vps-arm\/gateway\/gateway \)/);
  });

  it("under agenix, gets an encrypted secret owned by its user", () => {
    const stack = stackWith("agenix");
    expect(hostSecretFiles(stack, stack.hosts[0]!).bot).toEqual({ owner: "bot", group: "users" });
    expect(renderStack(stack).get("deploy/inventory.sh")!.content).not.toContain("vps-x86/bot/bot");
  });
});
