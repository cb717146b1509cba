import "reflect-metadata";
import { CommandFactory } from "nest-commander";
import { NERVE_VERSION } from "@nerve/core";
import { CliModule } from "./cli.module.js";
import { handleCommandError, handleUsageError } from "./common/error-handlers.js";

/**
 * Runs the `nerve` command line in this process and exits with its code. The entry of both
 * ways the CLI starts: the bundle (dist/bundle/nerve.cjs) and the compiled modules.
 */
export async function runCli(): Promise<never> {
  await CommandFactory.run(CliModule, {
    logger: false,
    cliName: "nerve",
    version: NERVE_VERSION,
    errorHandler: handleUsageError,
    serviceErrorHandler: handleCommandError,
  });
  process.exit(process.exitCode ?? 0);
}
