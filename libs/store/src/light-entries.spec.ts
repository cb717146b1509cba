import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm;

/** Every package a module and the modules it imports (relatively) import, type-only imports excluded. */
function externalImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(SPECIFIER)) {
      const statement = match[0];
      const specifier = match[1] ?? match[2] ?? match[3];
      // `import type` / `export type` vanish at compile time.
      if (/^\s*;?\s*(?:import|export)\s+type\s/.test(statement)) continue;
      if (specifier.startsWith("."))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else external.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return external;
}

describe("light entry points", () => {
  it.each(["reader.ts", "archive.ts", "blobs.ts", "sense-db.ts"])(
    "%s imports neither TypeORM nor Nest, only node, better-sqlite3 and @nerve/core",
    (entry) => {
      const imports = [...externalImports(entry)];
      expect(imports.length).toBeGreaterThan(0);
      for (const specifier of imports) {
        expect(specifier).toMatch(/^(node:|better-sqlite3$|@nerve\/core$)/);
      }
    },
  );

  it("finds Nest behind the main entry and TypeORM behind the typeorm entry (the check sees them)", () => {
    expect(externalImports("index.ts")).toContain("@nestjs/common");
    expect(externalImports("typeorm.ts")).toContain("typeorm");
    expect(externalImports("typeorm/migrate-process.ts")).toContain("typeorm");
  });

  it("leaves TypeORM out of the main entry: the daemon runs the migrations in a process of their own", () => {
    expect(externalImports("index.ts")).not.toContain("typeorm");
  });
});
