/** The subcommands run inside a generated repo. Only this list loads with `npm create`; each command loads when used. */
export const SUBCOMMANDS = ["add-target", "remove-target", "add-service", "remove-service", "add-instance", "remove-instance"] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function isSubcommand(word: string | undefined): word is Subcommand {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(word);
}
