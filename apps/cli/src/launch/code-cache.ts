import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** Cache files start with this line's stamp of the source they were made from. */
const NEWLINE = 0x0a;

/**
 * Runs a CommonJS file with V8's code cache, and returns its exports. Node 20 has no compile
 * cache for modules (`module.enableCompileCache()` arrived in 22.1), but `vm.Script` takes and
 * makes V8 code caches: the file is compiled from `<file>.cache` when that was made from the
 * same file by the same V8, else compiled from source and the cache (re)written at exit, with
 * every function that ran by then. Writing is best-effort: a read-only install runs uncached.
 *
 * The file must be ASCII, and must not use `import()`: code compiled from a cache has no module
 * loader for it in Node 20 (the bundle turns `import()` into `require()`, which loads ES modules
 * since 20.19).
 */
export function runCommonJsFile(file: string): unknown {
  const cacheFile = `${file}.cache`;
  const stamp = stampOf(file);
  const cachedData = readCache(cacheFile, stamp);
  // latin1: esbuild writes ASCII (it escapes the rest), and V8 keeps a one-byte string as is.
  const script = new Script(wrap(readFileSync(file, "latin1")), {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => writeCache(cacheFile, stamp, script));
  }
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** The CommonJS wrapper, as Node's own loader applies it. */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/** Size and time of the file: a rebuilt bundle never meets the cache of the old one. */
function stampOf(file: string): string {
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

function readCache(cacheFile: string, stamp: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const newline = data.indexOf(NEWLINE);
  if (newline < 0 || data.toString("latin1", 0, newline) !== stamp) return undefined;
  return data.subarray(newline + 1);
}

/** Atomically, so concurrent runs never read half a cache. */
function writeCache(cacheFile: string, stamp: string, script: Script): void {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.from(`${stamp}\n`), script.createCachedData()]));
    renameSync(temp, cacheFile);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was written.
    }
  }
}
