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
}

export interface ServiceKindPrompts {
  kind: string;
  description: string;
  fields: readonly KindField[];
}

/** "8080" → 8080; the port's range is the kind's schema's to check. */
export function parseInteger(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number`);
  return Number(text.trim());
}
