import { relative } from "node:path";
import type { OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from "esbuild";
import {
  isNodeBuiltin,
  isSdkSpecifier,
  packageNameOf,
  resolveSdkInProcess,
  resolveSdkSpecifier,
} from "./sdk-packages.js";

/** Marks esbuild's own lookups made from inside the plugin, so the plugin lets them through. */
const PROBE = Symbol("nerve-sdk-probe");

/**
 * How user code finds its packages, for every esbuild build of it (the daemon's senses,
 * workflows and modules, `nerve sense run`, `nerve validate`):
 * - SDK packages (see {@link isSdkSpecifier}) become imports of the absolute file the running
 *   Nerve loads, so they resolve whatever the workspace's node_modules holds (pruned by
 *   `npm install`, a git clone, a workspace written by hand);
 * - other packages stay bare imports, resolved at run time from the workspace's node_modules;
 *   each is looked up now, and one that is not installed is a compile problem at the import,
 *   naming the fix, rather than a worker that fails to start.
 *
 * `where` says who imports the output: a forked worker (`"worker"`, Node's default conditions)
 * or the daemon's own process (`"in-process"`, its conditions, so a module shares the engine's
 * classes).
 */
export function sdkResolution(root: string, where: "worker" | "in-process" = "worker"): Plugin {
  const resolveSdk = where === "worker" ? resolveSdkSpecifier : resolveSdkInProcess;
  return {
    name: "nerve-sdk-resolution",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        resolvePackage(build, root, resolveSdk, args),
      );
    },
  };
}

async function resolvePackage(
  build: PluginBuild,
  root: string,
  resolveSdk: (specifier: string) => string | null,
  args: OnResolveArgs,
): Promise<OnResolveResult | undefined> {
  if ((args.pluginData as { [PROBE]?: boolean } | undefined)?.[PROBE] === true) return undefined;
  if (isNodeBuiltin(args.path)) return { path: args.path, external: true };
  if (isSdkSpecifier(args.path)) {
    const file = resolveSdk(args.path);
    if (file !== null) return { path: file, external: true };
    // Not part of this install (an SDK package of another version): the workspace's, if any.
  }
  const found = await build.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: { [PROBE]: true },
  });
  if (found.errors.length === 0) return { path: args.path, external: true };
  const name = packageNameOf(args.path) ?? args.path;
  const from = relative(root, args.importer) || args.importer;
  return {
    errors: [
      {
        text: `cannot find package "${name}" imported by ${from}`,
        notes: [
          {
            text: isSdkSpecifier(args.path)
              ? `"${args.path}" is not part of this Nerve install; check the name, or upgrade Nerve`
              : `install it in the workspace: cd ${root} && npm install ${name}`,
          },
        ],
      },
    ],
  };
}
