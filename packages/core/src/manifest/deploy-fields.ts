/**
 * The manifest fields the fleet deploy scripts read: who they log in as, how sudo asks,
 * which tool deploys, and the tags that select targets. Kept apart from rules.ts so the
 * field rules and the deploy choices change independently.
 */
import * as z from "zod/mini";
import { USER_NAME, userName } from "./rules.js";
import { builtOnce } from "./built-once.js";

/** What deploys the fleet: nixos-rebuild (no extra input), deploy-rs (magic rollback) or colmena (tags, one evaluation). */
export const DEPLOYERS = ["nixos-rebuild", "deploy-rs", "colmena"] as const;
/** How sudo asks on the targets: "nopasswd" (keys only, the VPS default) or "password" (the deploy scripts ask for it). */
export const SUDO_MODES = ["password", "nopasswd"] as const;
export type Deployer = (typeof DEPLOYERS)[number];
export type SudoMode = (typeof SUDO_MODES)[number];

export const deployer = builtOnce(() => z.enum(DEPLOYERS, { error: `use one of ${DEPLOYERS.join(", ")}` }));
export const sudoMode = builtOnce(() => z.enum(SUDO_MODES, { error: `use one of ${SUDO_MODES.join(", ")}` }));

/**
 * The SSH user deploys log in as: "root" (by key, what the VPS scripts do) or an ordinary
 * user (the Linux user-name rule) who runs the activation through sudo.
 */
const DEPLOY_USER = new RegExp(`^(root|${USER_NAME.source.slice(1, -1)})$`);
export const deployUser = builtOnce(() => z
  .string()
  .check(
    z.regex(DEPLOY_USER, `use "root" or a user name: lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 31 characters (Linux user name rule)`),
    z.superRefine((name, ctx) => {
      if (name === "root" || !DEPLOY_USER.test(name)) return;
      // the same system accounts the admin names refuse (nobody, sshd, nixbld…)
      const checked = userName().safeParse(name);
      if (!checked.success) ctx.addIssue({ code: "custom", message: checked.error.issues[0]!.message });
    }),
  ));

/** A tag selects targets (`deploy-all.sh --tag lab`, colmena's `--on @lab`): a short lowercase word. */
export const TAG_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const tagName = builtOnce(() => z.string().check(z.regex(TAG_NAME, "use lowercase letters, digits and '-', 1–32 characters, starting with a letter or digit")));

interface DeployChoices {
  deployer: Deployer;
  sudo: SudoMode;
  hosts: readonly { tags: readonly string[]; deploy: { user: string } }[];
}

/** Cross-field rules of the deploy choices, for the stack schema's superRefine. */
export function checkDeployChoices(stack: DeployChoices, ctx: z.core.$RefinementCtx): void {
  stack.hosts.forEach((host, i) => {
    const seen = new Map<string, number>();
    host.tags.forEach((tag, j) => {
      const first = seen.get(tag);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["hosts", i, "tags", j], input: tag, message: `is already tags[${first}] of this host; remove the repeat` });
      else seen.set(tag, j);
    });
  });
  // colmena runs deployment.privilegeEscalationCommand ("sudo -H --") without a terminal and says
  // "The user must be allowed to use the command non-interactively" (zhaofengli/colmena src/nix/hive/options.nix)
  if (stack.deployer === "colmena" && stack.sudo === "password") {
    const sudoer = stack.hosts.findIndex((h) => h.deploy.user !== "root");
    if (sudoer >= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["sudo"],
        input: stack.sudo,
        message: `cannot be used with deployer "colmena", which runs sudo without a terminal on hosts[${sudoer}] (deploy.user "${stack.hosts[sudoer]!.deploy.user}"): use "nopasswd", or deployer "nixos-rebuild" or "deploy-rs", which ask for the password`,
      });
    }
  }
}
