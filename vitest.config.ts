import { defineConfig } from "vitest/config";

// One vitest run for the whole workspace; workspace packages resolve to their
// TypeScript sources through the "source" export condition, so tests never
// depend on a stale dist/ (the end-to-end tests run the built bins on purpose).
export default defineConfig({
  resolve: { conditions: ["source", "module", "node", "import", "default"] },
  ssr: { resolve: { conditions: ["source", "node", "import", "default"], externalConditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "generators/src/**/*.test.ts", "templates/src/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
