#!/usr/bin/env node
import "reflect-metadata";
import { CommandFactory } from "nest-commander";
import { NERVE_VERSION } from "@nerve/core";
import { CliModule } from "./cli.module.js";
import { handleCommandError, handleUsageError } from "./common/error-handlers.js";

await CommandFactory.run(CliModule, {
  logger: false,
  cliName: "nerve",
  version: NERVE_VERSION,
  errorHandler: handleUsageError,
  serviceErrorHandler: handleCommandError,
});
process.exit(process.exitCode ?? 0);
