import { formatFieldError, type FieldError } from "./manifest/validate.js";

export type StackErrorType =
  | "invalid-manifest"
  | "invalid-flag"
  | "config-not-found"
  | "target-not-empty"
  | "target-not-a-directory"
  | "conflict"
  | "cancelled"
  | "git-failed"
  | "invalid-lock"
  | "write-failed";

/** The one error class the CLIs print cleanly (message, then the fix) and map to an exit code. */
export class StackError extends Error {
  override name = "StackError";
  constructor(
    public readonly type: StackErrorType,
    message: string,
    public readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }

  static invalidManifest(errors: FieldError[], source: string): StackError {
    return new StackError("invalid-manifest", `invalid ${source}:\n${errors.map((e) => `  ${formatFieldError(e)}`).join("\n")}`, errors);
  }
}
