/** How an operator creates a system service's dotenv secret file under the repo's backend (for the docs). */
import type { Stack } from "@nixos-stack/core";

/**
 * Under env-file, where the operator puts a system service's dotenv secret file (outside the
 * store, mode 600); the encrypted backends set stack.secrets.files.<name>.path instead.
 */
export const envSecretFile = (stack: Stack, name: string) => `/etc/${stack.name}/secrets/${name}.env`;

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
