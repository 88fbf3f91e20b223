/** The answers of the `stack` generator: one per question, each also settable by a flag or a --config file. */
import type { PresetAnswers, PresetName } from "@nixos-stack/templates";

export interface StackAnswers extends PresetAnswers {
  preset: PresetName;
}

/** Which create-nixos-stack flag sets each answer, for error messages that name what the user typed. */
export const ANSWER_FLAGS: Record<keyof StackAnswers, string> = {
  preset: "--preset",
  name: "--name",
  admin: "--admin",
  sshKeys: "--ssh-key",
  sshPort: "--ssh-port",
  timeZone: "--time-zone",
  locale: "--locale",
  nixpkgsBranch: "--nixpkgs",
  disk: "--disk",
  address: "--address",
  gateway: "--no-gateway",
  userDescription: "--user-description",
  userGroups: "--user-groups",
  shell: "--shell",
  sudo: "--sudo",
  deployer: "--deployer",
  targets: "--target",
};

/** Manifest paths each answer ends up in (for the "(set by --flag)" hint). */
export const ANSWER_PATHS: [RegExp, keyof StackAnswers][] = [
  [/^name$/, "name"],
  [/^admins\[0\]\.name$/, "admin"],
  [/^admins\[0\]\.sshKeys/, "sshKeys"],
  [/^hosts\[\d+\]\.deploy\.sshPort$/, "sshPort"],
  [/^hosts\[\d+\]\.deploy\.address$/, "address"],
  [/^hosts\[\d+\]\.disk\.device$/, "disk"],
  [/^timeZone$/, "timeZone"],
  [/^locale$/, "locale"],
  [/^nixpkgs\.branch$/, "nixpkgsBranch"],
  [/^admins\[0\]\.description$/, "userDescription"],
  [/^admins\[0\]\.extraGroups/, "userGroups"],
  [/^admins\[0\]\.shell$/, "shell"],
  [/^sudo$/, "sudo"],
  [/^deployer$/, "deployer"],
  [/^hosts\[\d+\]\.(name|system|profile|tags|deploy\.user)/, "targets"],
];
