import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources of the workspace packages through the custom
// "@nerve/source" export condition; end-to-end tests drive the built CLI in dist/.
const conditions = ["@nerve/source", "import", "module", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@nerve/source"] } },
  test: {
    include: ["libs/*/src/**/*.spec.ts", "apps/*/src/**/*.spec.ts", "test/**/*.spec.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
