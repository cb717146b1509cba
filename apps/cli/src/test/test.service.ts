import { Injectable } from "@nestjs/common";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CliError, ExitCode, ReportedFailure } from "../common/cli-errors.js";
import { findWorkspace } from "../common/workspace.js";
import { TEST_GLOB, TEST_SDK_PACKAGES, canonicalDir, writeVitestConfig } from "./vitest-config.js";

export interface TestOptions {
  root?: string;
  watch?: boolean;
}

/** `nerve test`: the workspace's tests, run by Vitest with the `@nerve/testing` kit. */
@Injectable()
export class TestService {
  /**
   * Runs the tests (all, or those whose path contains one of `filters`), with Vitest's output
   * on this terminal. Throws {@link ReportedFailure} (exit 1) when a test fails.
   */
  async run(filters: string[], options: TestOptions): Promise<void> {
    const root = findWorkspace(options);
    if (!hasTests(join(root, "tests"))) {
      throw new CliError(
        `no tests in ${join(root, "tests")} (expected files matching ${TEST_GLOB}); \`nerve init\` scaffolds an example`,
      );
    }
    const sdk = await import("@nerve/daemon/sdk");
    const aliases: Record<string, string> = {};
    const external: string[] = [];
    for (const name of TEST_SDK_PACKAGES) {
      const file = sdk.resolveSdkSpecifier(name);
      const dir = sdk.sdkPackageDir(name);
      if (file === null || dir === null) {
        throw new CliError(`this Nerve install has no ${name}; reinstall nerve to run tests`);
      }
      aliases[name] = file;
      external.push(canonicalDir(dir));
    }
    for (const name of ["@nerve/daemon", "@nerve/store"]) {
      const dir = sdk.sdkPackageDir(name);
      if (dir !== null) external.push(canonicalDir(dir));
    }
    // The workspace's tsconfig.json extends it, and Vitest reads that tsconfig to compile tests.
    sdk.writeEditorConfig(root);
    const config = writeVitestConfig({ root, aliases, external });
    const args = [
      vitestBin(),
      options.watch === true ? "watch" : "run",
      "--config",
      config,
      ...filters,
    ];
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
    });
    if (code !== 0) throw new ReportedFailure(code === 1 ? ExitCode.failure : ExitCode.failure);
  }
}

/** Vitest's command-line entry, from the running Nerve's own dependencies. */
function vitestBin(): string {
  // require.resolve rather than import.meta.resolve: the CLI also runs as a CommonJS bundle.
  const manifest = createRequire(import.meta.url).resolve("vitest/package.json");
  return join(dirname(manifest), "vitest.mjs");
}

function hasTests(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).some((file) =>
    file.endsWith(".test.ts"),
  );
}
