/**
 * What a service kind contributes to add-service: its own questions, each also a CLI flag.
 * A kind writes one file beside this one and one line in index.ts; add-service reads only this shape.
 */
export interface KindField {
  /** the field of the service's manifest entry it sets (`port`) */
  name: string;
  /** the create-nixos-stack flag (`--port`) */
  flag: string;
  /** the question, and the flag's help */
  message: string;
  /** typed text → the manifest value; throws an Error naming the problem. The schema checks it again with the whole manifest. */
  parse: (text: string) => unknown;
  /** where the value goes in the service's entry when not at its top level (`["settings", "model"]`) */
  path?: readonly string[];
  /** a switch: `--flag` / `--no-flag` on the command line (parse gets "true" or "false") */
  boolean?: true;
}

export interface ServiceKindPrompts {
  kind: string;
  description: string;
  fields: readonly KindField[];
}

/** "0.7" → 0.7 (a plain decimal, no exponent); the range is the schema's to check. */
export function parseDecimal(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new Error(`"${text}" is not a number such as 0.7`);
  return Number(text.trim());
}

/** yes/no as a question answers it, or true/false as a switch flag does. */
export function parseYesNo(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (["y", "yes", "true"].includes(t)) return true;
  if (["n", "no", "false"].includes(t)) return false;
  throw new Error(`"${text}" is not yes or no`);
}

/**
 * The operator's acceptance of the ACME CA's terms (manifest `acmeAcceptTerms`), asked by every
 * kind that gets certificates: only a yes passes the schema, whose error names the agreement.
 */
export const acmeTermsField: KindField = {
  name: "acmeAcceptTerms",
  flag: "--accept-acme-terms",
  message: "Do you accept Let's Encrypt's Subscriber Agreement (https://letsencrypt.org/repository/)? NixOS issues no certificate without it (y/N):",
  parse: parseYesNo,
  boolean: true,
};

/** "8080" → 8080; the port's range is the kind's schema's to check. */
export function parseInteger(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number`);
  return Number(text.trim());
}
