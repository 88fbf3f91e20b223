import { describe, expect, it } from "vitest";
import { answersFromFlags } from "./known-answers.js";
import { parseChoice, parseTarget } from "./options.js";

describe("the fleet flags", () => {
  it("--target reads every key, tags joined by +, the port as a number", () => {
    expect(parseTarget("name=lab-server,profile=server,address=192.168.1.10,tags=lab+always-on,user=alice,port=2201,system=aarch64-linux")).toEqual({
      name: "lab-server",
      profile: "server",
      address: "192.168.1.10",
      tags: ["lab", "always-on"],
      user: "alice",
      port: 2201,
      system: "aarch64-linux",
    });
  });

  it("--target without a name, with an unknown key, a repeated key or a bad port is refused, naming the problem", () => {
    expect(parseTarget("profile=server")).toBeInstanceOf(Error);
    expect((parseTarget("name=a,colour=red") as Error).message).toContain('"colour=red" is not key=value');
    expect((parseTarget("name=a,name=b") as Error).message).toContain("name is given twice");
    expect((parseTarget("name=a,port=70000") as Error).message).toContain("is not a port");
  });

  it("--sudo, --shell and --deployer accept only their choices", () => {
    expect(parseChoice(["password", "nopasswd"])("nopasswd")).toBe("nopasswd");
    expect((parseChoice(["password", "nopasswd"])("maybe") as Error).message).toContain("password, nopasswd");
  });

  it("--user is the primary user (admins[0]); a different --admin alongside is a contradiction", () => {
    const base = { gateway: true, yes: true, dryRun: false, force: false, git: false, sync: false };
    expect(answersFromFlags({ ...base, user: "alice", sudo: "password", deployer: "colmena", target: [{ name: "lab" }] })).toMatchObject({ admin: "alice", sudo: "password", deployer: "colmena", targets: [{ name: "lab" }] });
    expect(() => answersFromFlags({ ...base, user: "alice", admin: "bob" })).toThrow(/--user alice and --admin bob/);
  });
});
