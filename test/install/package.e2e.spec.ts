import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/cli.js";
import { waitFor } from "../support/workspace.js";

// The package as users get it: `npm pack` at the root, `npm install -g` of the tarball into a
// fresh prefix (dependencies from the npm registry, or its cache), and the installed `nerve`
// driving a workspace outside the repository.
//
// To keep this quick on CI, the install skips install scripts and reuses the SQLite addon this
// checkout compiled when the installed better-sqlite3 is the same version (else it is rebuilt);
// NERVE_E2E_NATIVE=1 runs the install scripts as a user's install does.

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }
).version;
const INSTALL_TIMEOUT_MS = 15 * 60_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd,
        env: { ...process.env, NERVE_ROOT: "", NO_COLOR: "1", ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: INSTALL_TIMEOUT_MS,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const npm = (args: string[], cwd: string): Promise<Run> =>
  run(process.platform === "win32" ? "npm.cmd" : "npm", args, cwd, {
    npm_config_update_notifier: "false",
  });

let tmp: string;
let cleanup: () => void;
let files: string[];
let packageDir: string;
let bin: string;
let workspace: string;

beforeAll(async () => {
  ({ dir: tmp, cleanup } = tempDir("nerve-pkg-"));
  const pack = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], REPO);
  expect(pack.code, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((file) => file.path);

  const prefix = join(tmp, "prefix");
  const native = process.env.NERVE_E2E_NATIVE === "1";
  const install = await npm(
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      join(tmp, packed.filename),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      native ? "--allow-scripts=better-sqlite3,esbuild" : "--ignore-scripts",
    ],
    tmp,
  );
  expect(install.code, install.stderr).toBe(0);
  packageDir = join(prefix, "lib", "node_modules", "nerve");
  bin = join(prefix, "bin", "nerve");
  if (!native) await provideSqliteAddon(packageDir);
  workspace = join(tmp, "my-workspace");
  mkdirSync(workspace);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  if (bin !== undefined && existsSync(join(workspace, "nerve.pid"))) {
    await run(bin, ["daemon", "stop", "--root", workspace], tmp);
  }
  cleanup();
});

/** The compiled addon of this checkout when the versions match, else a rebuild. */
async function provideSqliteAddon(dir: string): Promise<void> {
  const installed = join(dir, "node_modules", "better-sqlite3");
  const ours = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
  const versionOf = (pkg: string) =>
    (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string }).version;
  const addon = join("build", "Release", "better_sqlite3.node");
  if (versionOf(installed) === versionOf(ours) && existsSync(join(ours, addon))) {
    mkdirSync(join(installed, "build", "Release"), { recursive: true });
    copyFileSync(join(ours, addon), join(installed, addon));
    return;
  }
  const rebuild = await npm(["rebuild", "better-sqlite3", "--foreground-scripts"], dir);
  expect(rebuild.code, rebuild.stderr).toBe(0);
}

describe("the npm package", () => {
  it("holds the built CLI, daemon, libraries and SDK, and nothing else", () => {
    expect(files).toContain("apps/cli/dist/main.js");
    expect(files).toContain("apps/cli/dist/bundle/nerve.cjs");
    expect(files).toContain("apps/cli/templates/workspace/nerve.yaml");
    // testing: `nerve test` gives workspaces the kit, and `nerve replay` runs on it, offline.
    for (const name of ["core", "store", "daemon", "testing"]) {
      expect(files).toContain(`node_modules/@nerve/${name}/package.json`);
      expect(files).toContain(`node_modules/@nerve/${name}/dist/index.js`);
      expect(files).toContain(`node_modules/@nerve/${name}/dist/index.d.ts`);
    }
    const unwanted = files.filter(
      (file) =>
        /(^|\/)src\//.test(file) ||
        /\.spec\.|__fixtures__|\.map$|\.tsbuildinfo$|\.cache$/.test(file) ||
        /^(test|bench|examples|scripts|\.ci)\//.test(file) ||
        // Third-party packages come from the registry at install time, not from the tarball.
        (file.startsWith("node_modules/") && !file.startsWith("node_modules/@nerve/")),
    );
    expect(unwanted).toEqual([]);
  });

  it("installs a nerve that prints its version", async () => {
    const version = await run(bin, ["--version"], tmp);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it("runs init, validate, start, status, a workflow, stop and sense run outside the repository", async () => {
    const init = await run(bin, ["init"], workspace);
    expect(init.code, init.stderr).toBe(0);
    // Editors are pointed at the installed SDK, not at this checkout.
    const editor = JSON.parse(
      readFileSync(join(workspace, ".nerve", "tsconfig.sdk.json"), "utf8"),
    ) as { compilerOptions: { paths: Record<string, string[]> } };
    expect(realpathSync(editor.compilerOptions.paths["@nerve/core"][0])).toBe(
      realpathSync(join(packageDir, "node_modules", "@nerve", "core", "dist", "index.d.ts")),
    );

    const validate = await run(bin, ["validate", "--json"], workspace);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toEqual({ ok: true, errors: [], warnings: [] });

    const start = await run(bin, ["daemon", "start", "--wait-ready", "--json"], workspace);
    expect(start.code, start.stderr).toBe(0);
    const { pid } = JSON.parse(start.stdout) as { pid: number };

    const status = await run(bin, ["status", "--json"], workspace);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      pid,
      root: realpathSync(workspace),
      version: VERSION,
    });

    // The scaffolded workflow runs in a worker that imports @nerve/core from the install.
    const trigger = await run(bin, ["workflow", "trigger", "investigate", "--json"], workspace);
    expect(trigger.code, trigger.stderr).toBe(0);
    const { runId } = JSON.parse(trigger.stdout) as { runId: string };
    const ended = await waitFor(async () => {
      const list = await run(bin, ["workflow", "list", "--all", "--json"], workspace);
      const found = (JSON.parse(list.stdout) as { runId: string; status: string }[]).find(
        (one) => one.runId === runId,
      );
      return found !== undefined && !["queued", "started"].includes(found.status)
        ? found
        : undefined;
    }, "the investigate run to end");
    expect(ended).toMatchObject({ status: "completed" });

    const stop = await run(bin, ["daemon", "stop", "--json"], workspace);
    expect(stop.code, stop.stderr).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject({ pid, wasRunning: true, killed: false });
    expect(existsSync(join(workspace, "nerve.pid"))).toBe(false);

    const sense = await run(bin, ["sense", "run", "load-average", "--json"], workspace);
    expect(sense.code, sense.stderr).toBe(0);
    expect(JSON.parse(sense.stdout)).toMatchObject({ route: expect.anything() as unknown });
  });
});
