// Preloaded with NODE_OPTIONS="--import <this file>" by tests that check what a process loads.
// At exit, writes its script (argv[1]) and the files of every CommonJS module it loaded to
// $NERVE_LOADED_MODULES_DIR/<pid>.json. ES module code that imports a CommonJS package (as the
// store does TypeORM) loads it through require.cache too, so that package's files are listed.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";

const dir = process.env.NERVE_LOADED_MODULES_DIR;
if (dir) {
  const require = createRequire(import.meta.url);
  process.on("exit", () => {
    const modules = Object.keys(require.cache);
    writeFileSync(
      join(dir, `${process.pid}.json`),
      JSON.stringify({ script: process.argv[1] ?? "", modules }),
    );
  });
}
