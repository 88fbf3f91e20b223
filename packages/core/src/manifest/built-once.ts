/**
 * A schema built by its first caller and kept: `export const hostName = builtOnce(() => z.string()…)`,
 * used as `hostName()`. Every rule of the manifest is one, so loading the modules makes no zod call
 * at all: a `--yes` scaffold, which validates nothing (generators: yes-stack.ts), then never pays
 * for building a schema, nor for zod's first-call warm-up (about 2 ms of a start; README, Speed).
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: { schema: T } | undefined;
  return () => (built ??= { schema: build() }).schema;
}
