import { describe, expect, it } from "vitest";
import { describeFlakeErrors, fetchFailure, splitNixOutput, type FlakeErrorContext } from "./parse-nix-errors.js";

const REPO = "/nix/store/rc25cp2g7cyynq1dfzp5v2gbxv6xn41v-source";
const NIXPKGS = "/nix/store/k8nkf470zpidpa5nh76lh2x6rxfzpwa4-source";

/** Nix 2.8, `flake check --keep-going --show-trace`: message first, frames innermost first. */
const NIX_2_8_ASSERTION = `evaluating flake...
error (ignored): error:
       Failed assertions:
       - The ‘fileSystems’ option does not specify your root file system.

       … while evaluating 'evalHost'

       at ${REPO}/flake.nix:8:18:

            7|       system = "x86_64-linux";
            8|       evalHost = module:
             |                  ^
            9|         let

       … while checking the NixOS configuration 'nixosConfigurations.web'

       at ${REPO}/flake.nix:17:7:

           16|     {
           17|       nixosConfigurations.web = { config.system.build.toplevel = evalHost ./hosts/web/default.nix; };
             |       ^
           18|       checks.\${system}.web = self.nixosConfigurations.web.config.system.build.toplevel;
error (ignored): error:
       Failed assertions:
       - The ‘fileSystems’ option does not specify your root file system.

       … while checking the derivation 'checks.x86_64-linux.web'

       at ${REPO}/flake.nix:18:7:

           17|       nixosConfigurations.web = { config.system.build.toplevel = evalHost ./hosts/web/default.nix; };
           18|       checks.\${system}.web = self.nixosConfigurations.web.config.system.build.toplevel;
             |       ^
error: some errors were encountered during the evaluation
`;

/** Newer Nix: frames outermost first, then the message after a nested `error:`. */
const NEWER_OPTION_ERROR = `warning: Git tree '/repo' is dirty
trace: warning: The option \`services.logind.lidSwitch' defined in \`${REPO}/modules/system.nix' has been renamed to \`services.logind.settings.Login.HandleLidSwitch'.
error:
       … while checking flake output 'nixosConfigurations'
         at ${REPO}/flake.nix:40:7:
           39|     {
           40|       nixosConfigurations = lib.mapAttrs mkHost hosts;
             |       ^
           41|

       … while checking the NixOS configuration 'nixosConfigurations.vps-x86'

       … while evaluating the option \`system.build.toplevel':

       … while evaluating definitions from \`${NIXPKGS}/nixos/modules/system/activation/top-level.nix':

       (stack trace truncated; use '--show-trace' to show the full, detailed trace)

       error: The option \`services.foo' does not exist. Definition values:
       - In \`${REPO}/hosts/vps-x86/configuration.nix':
           {
             enable = true;
           }
`;

const repoLines: Record<string, string[]> = {
  "flake.nix": Array.from({ length: 60 }, (_, i) => (i + 1 === 8 ? "      evalHost = module:" : i + 1 === 17 ? "      nixosConfigurations.web = { config.system.build.toplevel = evalHost ./hosts/web/default.nix; };" : i + 1 === 40 ? "      nixosConfigurations = lib.mapAttrs mkHost hosts;" : `line ${i + 1}`)),
  "hosts/vps-x86/configuration.nix": ["{ pkgs, ... }:", "{", "  services.foo.enable = true;", "}"],
  "hosts/web/default.nix": ["{ config }:"],
};
const ctx: FlakeErrorContext = {
  repoFiles: new Set(Object.keys(repoLines)),
  repoRoots: ["/work/repo"],
  lineOf: (file, line) => repoLines[file]?.[line - 1],
};

describe("splitNixOutput", () => {
  it("splits Nix 2.8's --keep-going output into its error blocks and drops the closing summary", () => {
    const { errors } = splitNixOutput(NIX_2_8_ASSERTION);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.message).toBe("Failed assertions:\n- The ‘fileSystems’ option does not specify your root file system.");
    expect(errors[0]!.frames.map((f) => f.text)).toEqual(["while evaluating 'evalHost'", "while checking the NixOS configuration 'nixosConfigurations.web'"]);
    expect(errors[0]!.frames[1]!.position).toMatchObject({ path: `${REPO}/flake.nix`, line: 17, column: 7 });
  });

  it("reads the newer layout: the message after the frames, frames put innermost first", () => {
    const { errors, warnings } = splitNixOutput(NEWER_OPTION_ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message.split("\n")[0]).toBe("The option `services.foo' does not exist. Definition values:");
    expect(errors[0]!.frames[0]!.text).toMatch(/^while evaluating definitions from/);
    expect(warnings).toHaveLength(2);
  });
});

describe("describeFlakeErrors", () => {
  it("points a failed assertion at its host, once, where the host is defined", () => {
    const errors = describeFlakeErrors(splitNixOutput(NIX_2_8_ASSERTION), ctx);
    expect(errors).toEqual([
      expect.objectContaining({ host: "web", attr: "nixosConfigurations.web", file: "flake.nix", line: 17, message: expect.stringMatching(/^Failed assertions:\n- The ‘fileSystems’/) }),
    ]);
  });

  it("points an unknown option at the host, the option and the user's file that defines it", () => {
    const [e] = describeFlakeErrors(splitNixOutput(NEWER_OPTION_ERROR), ctx);
    expect(e).toMatchObject({ host: "vps-x86", option: "services.foo", file: "hosts/vps-x86/configuration.nix" });
  });

  it("uses the error's own position when it is in the repo", () => {
    const output = `error: attribute 'settings' missing

       at ${REPO}/hosts/web/default.nix:1:3:

            1| { config }:
             |   ^

       … while checking the derivation 'checks.x86_64-linux.web'
`;
    expect(describeFlakeErrors(splitNixOutput(output), ctx)).toEqual([
      expect.objectContaining({ message: "attribute 'settings' missing", file: "hosts/web/default.nix", line: 1, column: 3, host: "web", attr: "checks.x86_64-linux.web", source: "{ config }:" }),
    ]);
  });

  it("does not mistake an input's flake.nix for the repo's (the printed line differs)", () => {
    const output = `error: assertion '(stdenv).isLinux' failed

       at ${NIXPKGS}/flake.nix:8:1:

            8| assert stdenv.isLinux;
             | ^
`;
    const [e] = describeFlakeErrors(splitNixOutput(output), ctx);
    expect(e!.file).toBeUndefined();
  });
});

describe("fetchFailure", () => {
  it("recognises an offline machine as a reason the check could not run", () => {
    const output = "error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-26.05': Couldn't resolve host name (6)\n";
    expect(fetchFailure(splitNixOutput(output))).toMatch(/^unable to download/);
    expect(fetchFailure(splitNixOutput(NIX_2_8_ASSERTION))).toBeUndefined();
  });
});
