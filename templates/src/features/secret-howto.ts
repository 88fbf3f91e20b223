/** How an operator creates a system service's dotenv secret file under the repo's backend (for the docs). */
import type { Stack } from "@nixos-stack/core";
import { envSecretFile } from "./kind-options.js";

export interface SecretHowTo {
  /** where the file lives */
  file: string;
  /** the command that creates or edits it */
  edit: string;
}

export function secretHowTo(stack: Stack, name: string): SecretHowTo {
  if (stack.secrets.backend === "agenix") return { file: `secrets/${name}.age`, edit: `cd secrets && agenix -e ${name}.age` };
  if (stack.secrets.backend === "sops") return { file: `secrets/${name}.env`, edit: `sops secrets/${name}.env` };
  const file = envSecretFile(stack, name);
  return { file: `${file} (on the server)`, edit: `sudo install -D -m 0400 -o root -g root /dev/stdin ${file}` };
}
