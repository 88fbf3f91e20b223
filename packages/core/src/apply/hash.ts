import { createHash } from "node:crypto";

export function contentHash(content: string | Buffer): string {
  return `sha256-${createHash("sha256").update(content).digest("base64")}`;
}
