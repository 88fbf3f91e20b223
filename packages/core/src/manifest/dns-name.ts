/**
 * Public DNS names and e-mail addresses, as the services that serve a site need them (nginx
 * server_name, ACME certificates and their account e-mail). Lower case only: DNS names are
 * case-insensitive, and ACME certificates are issued for the lower-case form.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

/** RFC 1035 labels (letters, digits, '-', not at either end), at least two of them, 253 characters at most. */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const dnsName = builtOnce(() => z.string().check(z.regex(DNS_NAME, "use a lower-case DNS name such as example.com (letters, digits, '-' and dots; at least two labels)")));

/** One DNS label, prepended to a domain (`monitoring` in monitoring.example.com). */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const dnsLabel = builtOnce(() => z.string().check(z.regex(DNS_LABEL, "use one lower-case DNS label such as monitoring (letters, digits and '-', 1–63 characters)")));

/** A plain e-mail address, no display name: what Let's Encrypt accepts as an account contact. */
export const EMAIL = /^[A-Za-z0-9._%+-]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const email = builtOnce(() => z.string().check(z.regex(EMAIL, "use a plain e-mail address such as ops@example.com (the ACME account's contact)")));
