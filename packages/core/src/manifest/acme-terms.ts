/**
 * `acmeAcceptTerms`: the operator's own acceptance of the ACME CA's terms (Let's Encrypt's
 * Subscriber Agreement). NixOS refuses any ACME certificate until `security.acme.acceptTerms`
 * is true (nixos/modules/security/acme/default.nix asserts it as soon as a certificate is
 * declared), and agreeing to a CA's contract is not a default a tool may choose for its user: so
 * every kind that asks for certificates asks for this answer too, and only `true` is accepted.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

export const ACME_TERMS_URL = "https://letsencrypt.org/repository/";

const why = `read Let's Encrypt's Subscriber Agreement (${ACME_TERMS_URL}) and set it to true to accept it: NixOS issues no ACME certificate without it (security.acme.acceptTerms)`;

export const acmeAcceptTerms = builtOnce(() => z.literal(true, {
  error: (issue) => (issue.input === undefined ? `is required: ${why}` : `must be true: ${why}`),
}));
