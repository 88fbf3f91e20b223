import { expect, it } from "vitest";
import { locale } from "./locale.js";

const problem = (name: string) => locale().safeParse(name).error?.issues[0]?.message;

it.each(["en_US.UTF-8", "C.UTF-8", "de_DE.UTF-8", "sr_RS.UTF-8@latin", "ca_ES.UTF-8@valencia", "ber_MA.UTF-8", "eo.UTF-8"])("accepts the glibc locale %s", (name) =>
  expect(problem(name)).toBeUndefined(),
);

it.each([
  ["sr_RS@latin.UTF-8", 'glibc writes "sr_RS.UTF-8@latin"'],
  ["en_US.utf8", 'write the code set as "UTF-8": "en_US.UTF-8"'],
  ["en_US", 'add the code set: "en_US.UTF-8"'],
  ["sr_RS@latin", 'add the code set: "sr_RS.UTF-8@latin"'],
  ["en_us.UTF-8", "language_TERRITORY.UTF-8[@modifier]"],
  ["C.UTF-8@latin", "language_TERRITORY.UTF-8[@modifier]"],
  ["de_DE.ISO-8859-1", "use a UTF-8 glibc locale"],
])("refuses %s: %s", (name, message) => expect(problem(name)).toContain(message));
