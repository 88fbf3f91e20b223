/**
 * i18n.defaultLocale: a glibc locale name, which NixOS builds with localedef from
 * i18n.supportedLocales entries "<name>/UTF-8" (nixos/modules/config/i18n.nix). glibc's
 * form is language[_TERRITORY].UTF-8[@modifier] (glibc localedata/SUPPORTED: "sr_RS.UTF-8@latin").
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

/** glibc's UTF-8 locales; "eo" and "syr" are the two without a territory (localedata/SUPPORTED). */
export const LOCALE = /^(C\.UTF-8|(eo|syr|[a-z]{2,3}_[A-Z]{2})\.UTF-8(@[a-z]+)?)$/;

/** What is wrong with a locale name that does not match LOCALE, with the right spelling when we can tell. */
export function localeProblem(name: string): string {
  const modifierFirst = /^([a-z]{2,3}_[A-Z]{2})(@[a-z]+)\.[Uu][Tt][Ff]-?8$/.exec(name);
  if (modifierFirst) return `puts the @modifier before the code set; glibc writes "${modifierFirst[1]}.UTF-8${modifierFirst[2]}"`;
  const codeset = /^(?:([a-z]{2,3}_[A-Z]{2})\.[Uu][Tt][Ff]-?8(@[a-z]+)?|(C)\.[Uu][Tt][Ff]-?8)$/.exec(name);
  if (codeset) return `write the code set as "UTF-8": "${codeset[1] ?? codeset[3]}.UTF-8${codeset[2] ?? ""}"`;
  if (/^[a-z]{2,3}_[A-Z]{2}(@[a-z]+)?$/.test(name)) return `add the code set: "${name.replace(/(@[a-z]+)?$/, ".UTF-8$1")}" (nixos-stack uses UTF-8 locales only)`;
  return 'use a UTF-8 glibc locale, language_TERRITORY.UTF-8[@modifier]: like "en_US.UTF-8", "sr_RS.UTF-8@latin" or "C.UTF-8"';
}

export const locale = builtOnce(() => z.string().check(z.regex(LOCALE, { error: (issue) => localeProblem(String(issue.input)) })));
