/**
 * The one question of `remove-target`: which host. A list of the repo's hosts when they are
 * known as the generator is made (a plain array, so plop can answer it from the command line);
 * otherwise typed, and checked when the edit runs.
 */
export function removeTargetQuestions(hostNames: readonly string[] | undefined) {
  const message = "Which target to remove (its generated files are deleted; your own files stay)?";
  return [hostNames?.length ? { name: "name", type: "list" as const, message, choices: hostNames } : { name: "name", type: "input" as const, message }];
}
