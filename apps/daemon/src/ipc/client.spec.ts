import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm;

/** Every module specifier reachable from `file` through relative imports inside this folder. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const text = readFileSync(join(here, file), "utf8");
  const specifiers = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
  seen.set(file, specifiers);
  for (const specifier of specifiers) {
    if (specifier.startsWith("./"))
      importGraph(join(dirname(file), specifier).replace(/\.js$/, ".ts"), seen);
  }
  return seen;
}

describe("the client entry", () => {
  it("imports nothing of the engine, so the CLI can load it quickly", () => {
    const graph = importGraph("client.ts");
    expect([...graph.keys()]).toContain("client-unix.ts");
    const external = [...graph.values()].flat().filter((s) => !s.startsWith("./"));
    expect(external.filter((s) => s.startsWith("../"))).toEqual([]);
    const allowed =
      /^(node:|reflect-metadata$|@nerve\/core$|@nestjs\/microservices(\/client\/client-proxy\.js)?$)/;
    expect(external.filter((s) => !allowed.test(s))).toEqual([]);
  });
});
