import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build, stop, version as esbuildVersion, type BuildOptions, type Plugin } from "esbuild";
import { isFresh, manifestOf, writeAtomically } from "./build-manifest.js";
import {
  buildUserModules,
  type UserModuleBuild,
  type UserModuleEntry,
} from "./user-module-batch.js";
import { sdkStamp } from "../sdk/sdk-packages.js";
import { sdkResolution } from "../sdk/sdk-plugin.js";
import { problemsOf } from "./compile-problem.js";

// Bumped whenever the build options change, so that cached outputs of older options are rebuilt.
// 2: SDK packages are imported from the running Nerve, not the workspace's node_modules.
const OPTIONS_REVISION = 2;

/** Packages with native addons: never bundled, imported from where the daemon resolves them. */
const NATIVE_PACKAGES = /^better-sqlite3$/;

const COMMON_OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  metafile: true,
  write: false,
  logLevel: "silent",
} as const;

/**
 * ES modules have no `require`; bundled CommonJS code (and `require("os")` in a .js file) needs
 * one, resolved from the build folder, which lies inside the workspace like its node_modules.
 */
export const REQUIRE_BANNER =
  'import { createRequire as __nerveCreateRequire } from "node:module";\n' +
  "const require = __nerveCreateRequire(import.meta.url);";

export type { UserModuleBuild, UserModuleEntry };

/**
 * The esbuild work the sense runtime and the workflow engine share: user code (a sense's compute
 * file, a workflow's definition) compiled into one ES module each, and a worker entry bundled
 * into one file. Relative imports are bundled; packages stay imports: the SDK's as absolute paths
 * into the running Nerve, the others resolved at run time from the workspace's node_modules
 * (hence outputs inside the workspace), see {@link sdkResolution}. Workers import plain
 * JavaScript and need no TypeScript loader.
 *
 * An output is reused while none of its input files changed (mtime and size, recorded next to
 * it in a build manifest, so also across daemon restarts).
 */
export class EsbuildCompiler {
  readonly root: string;
  private readonly building = new Map<string, Promise<unknown>>();
  private readonly key = `esbuild ${esbuildVersion} options ${OPTIONS_REVISION} ${sdkStamp()}`;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Runs `work` for `name` unless it runs already: calls for one name share one build. */
  once<T>(name: string, work: () => Promise<T>): Promise<T> {
    const running = this.building.get(name) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const next = work().finally(() => this.building.delete(name));
    this.building.set(name, next);
    return next;
  }

  /**
   * Compiles `source` (relative to the root) into `<outputDir>/<fileName>`, with its manifest
   * `build.json` beside it, unless that output is up to date (`force` skips that check).
   * Never throws: compile errors come back as problems, positioned in the user's files.
   */
  async compileUserModule(
    source: string,
    outputDir: string,
    fileName: string,
    force: boolean,
  ): Promise<UserModuleBuild> {
    const module = join(outputDir, fileName);
    const manifestFile = join(outputDir, "build.json");
    if (!force && isFresh(this.root, manifestFile, module, this.key, source)) {
      return { ok: true, module, cached: true };
    }
    try {
      await this.buildInto(module, manifestFile, source, {
        entryPoints: [join(this.root, source)],
        ...this.userModuleOptions(),
      });
      return { ok: true, module, cached: false };
    } catch (error) {
      return { ok: false, problems: problemsOf(error, source), cause: error };
    }
  }

  /**
   * {@link compileUserModule} for many modules at once (a sense group's compute files): the
   * outputs still up to date are reused, the others are built by one esbuild call with an entry
   * point each, which costs far less than a call per module. If that call fails, its entries are
   * built again in two halves, and so on down to single entries: a module that does not compile
   * gets the very problems a build of its own reports, and the others still build. Each output
   * gets its own manifest, so a later call reuses or rebuilds it alone. Never throws.
   *
   * @param force names of entries to rebuild even if their outputs look up to date
   * @returns each entry's build, by name
   */
  async compileUserModules(
    entries: readonly UserModuleEntry[],
    fileName: string,
    force: ReadonlySet<string>,
  ): Promise<Map<string, UserModuleBuild>> {
    const builds = new Map<string, UserModuleBuild>();
    const stale: UserModuleEntry[] = [];
    for (const entry of entries) {
      const module = join(entry.outputDir, fileName);
      const manifest = join(entry.outputDir, "build.json");
      if (!force.has(entry.name) && isFresh(this.root, manifest, module, this.key, entry.source)) {
        builds.set(entry.name, { ok: true, module, cached: true });
      } else {
        stale.push(entry);
      }
    }
    await buildUserModules(stale, builds, {
      root: this.root,
      key: this.key,
      fileName,
      options: this.userModuleOptions(),
      buildOne: (entry) => this.compileUserModule(entry.source, entry.outputDir, fileName, true),
      run: (options) => withEsbuild(() => build({ ...COMMON_OPTIONS, ...options })),
    });
    return builds;
  }

  /**
   * Bundles a worker entry (a built `*-worker.js`) with everything it imports except native
   * packages into the one file `output` (relative to the root), reused while its inputs are
   * unchanged. Why: a worker that loads one module instead of dozens starts faster and holds
   * less private memory, in every worker process. Native packages are imported by absolute
   * path, so the bundle needs nothing from the workspace's node_modules.
   *
   * @returns the bundle's absolute path
   * @throws whatever esbuild throws (the caller falls back to the unbundled entry)
   */
  async bundleWorker(entry: string, output: string): Promise<{ file: string; cached: boolean }> {
    const file = join(this.root, output);
    const manifestFile = file.replace(/\.mjs$/, ".build.json");
    if (isFresh(this.root, manifestFile, file, this.key, entry)) return { file, cached: true };
    await this.buildInto(file, manifestFile, entry, {
      entryPoints: [entry],
      plugins: [nativePackagesFrom(entry)],
    });
    return { file, cached: false };
  }

  /** Waits for the builds in flight and stops esbuild's service process (restarted on demand). */
  async stop(): Promise<void> {
    await Promise.allSettled(this.building.values());
    await stopEsbuild();
  }

  /** What every build of user code adds to the common options. */
  private userModuleOptions(): Pick<
    BuildOptions,
    "plugins" | "sourcemap" | "sourcesContent" | "banner"
  > {
    return {
      plugins: [sdkResolution(this.root)],
      sourcemap: "inline",
      sourcesContent: false,
      banner: { js: REQUIRE_BANNER },
    };
  }

  private async buildInto(
    output: string,
    manifestFile: string,
    entry: string,
    options: Omit<BuildOptions, keyof typeof COMMON_OPTIONS | "absWorkingDir" | "outfile">,
  ): Promise<void> {
    const result = await withEsbuild(() =>
      build({ ...COMMON_OPTIONS, ...options, absWorkingDir: this.root, outfile: output }),
    );
    writeAtomically(output, result.outputFiles[0].contents);
    const inputs = Object.keys(result.metafile.inputs);
    writeAtomically(manifestFile, JSON.stringify(manifestOf(this.root, this.key, entry, inputs)));
  }
}

/** Leaves native packages as imports of the absolute file `from` resolves them to. */
function nativePackagesFrom(from: string): Plugin {
  const requireFrom = createRequire(from);
  return {
    name: "nerve-native-packages",
    setup(esbuild) {
      esbuild.onResolve({ filter: NATIVE_PACKAGES }, (args) => ({
        path: requireFrom.resolve(args.path),
        external: true,
      }));
    },
  };
}

/**
 * How long esbuild's service process may sit idle before it is stopped. It is a process of its
 * own (~20 MiB) that esbuild starts on the first build and keeps for the next; a daemon builds at
 * start and on hot reload only, so it goes once those builds are done, and the next build starts
 * it again.
 */
export const ESBUILD_IDLE_STOP_MS = 2_000;

let active = 0;
let idleTimer: NodeJS.Timeout | null = null;
let stopping: Promise<void> | null = null;

/**
 * Runs an esbuild call (every one in the daemon goes through here): none starts while the
 * service stops, and the service stops {@link ESBUILD_IDLE_STOP_MS} after the last one ended.
 */
export async function withEsbuild<T>(work: () => Promise<T>): Promise<T> {
  if (stopping !== null) await stopping;
  active += 1;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  try {
    return await work();
  } finally {
    active -= 1;
    if (active === 0) {
      idleTimer = setTimeout(() => void stopEsbuild(), ESBUILD_IDLE_STOP_MS);
      // An idle service must not keep a process alive that has nothing else to do.
      idleTimer.unref();
    }
  }
}

/** Stops esbuild's service process unless a build runs. */
function stopEsbuild(): Promise<void> {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  if (active > 0) return Promise.resolve();
  stopping ??= stop().finally(() => {
    stopping = null;
  });
  return stopping;
}
