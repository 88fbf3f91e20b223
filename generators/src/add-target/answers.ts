/** The answers of `add-target`: one per question or flag. Unset ones take the repo's defaults (defaults.ts). */
export interface TargetAnswers {
  /** the new host's name (required) */
  name: string;
  system?: string;
  /** where the deploy scripts reach it; none: they need --host */
  address?: string;
  profile?: string;
  tags?: string[];
  sshPort?: number;
  disk?: string;
}

/** Which create-nixos-stack flag sets each answer, for messages that name what the user typed. */
export const TARGET_FLAGS: Record<keyof TargetAnswers, string> = {
  name: "--name",
  system: "--system",
  address: "--address",
  profile: "--profile",
  tags: "--tag",
  sshPort: "--ssh-port",
  disk: "--disk",
};
