import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The fault suite: `npm run test:faults` (the root config's `npm test` does not run it: its files
// are `*.fault.ts`). Files run one at a time: they start real daemons, fill disks and load the
// machine, and must not disturb each other on a small, shared CI box.
const conditions = ["@nerve/source", "import", "module", "node", "default"];

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@nerve/source"] } },
  test: {
    include: ["test/faults/**/*.fault.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default", "./test/faults/support/fault-reporter.ts"],
  },
});
