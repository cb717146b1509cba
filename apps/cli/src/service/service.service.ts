import { Injectable } from "@nestjs/common";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { userInfo } from "node:os";
import { dirname } from "node:path";
import { isProcessAlive, readPidFile } from "@nerve/daemon/client";
import { CliError, ExitCode } from "../common/cli-errors.js";
import { paint, printError, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { Systemd } from "./systemd.js";
import { unitContent, unitName, unitPath, type ServiceScope } from "./systemd-unit.js";

export interface ServiceOptions {
  root?: string;
  json?: boolean;
  user?: boolean;
  system?: boolean;
}

/** `nerve service install --json`. */
export interface ServiceInstallResult {
  unitName: string;
  unitPath: string;
  scope: ServiceScope;
  /** False when systemd is not available: the unit is printed instead. */
  installed: boolean;
  /** Why it was not installed, or null. */
  reason: string | null;
  unit: string;
}

/** `nerve service status --json`. */
export interface ServiceStatus {
  unitName: string;
  unitPath: string;
  scope: ServiceScope;
  /** The unit file exists. */
  installed: boolean;
  /** Null when systemd is not available. */
  active: string | null;
  enabled: string | null;
}

/** `nerve service`: the workspace's daemon as a systemd unit. */
@Injectable()
export class ServiceService {
  constructor(private readonly systemd: Systemd) {}

  install(options: ServiceOptions): void {
    const { root, scope } = this.target(options);
    const unit = unitContent({
      root,
      scope,
      node: process.execPath,
      daemonMain: createRequire(import.meta.url).resolve("@nerve/daemon/main"),
      user: process.env.SUDO_USER ?? userInfo().username,
    });
    const result: ServiceInstallResult = {
      unitName: unitName(root),
      unitPath: unitPath(root, scope),
      scope,
      installed: false,
      reason: this.systemd.unavailable(),
      unit,
    };
    if (result.reason !== null) {
      if (options.json) return printJson(result);
      printError(
        `systemd is not available (${result.reason}): nothing was installed. The unit, for a supervisor of your own or another machine (${result.unitPath}):`,
      );
      process.stdout.write(unit);
      return;
    }
    this.assertPrivileges(scope);
    const pid = readPidFile(root);
    if (pid !== null && isProcessAlive(pid)) {
      throw new CliError(
        `a daemon already runs for ${root} (pid ${pid}) outside systemd; stop it first: nerve daemon stop --root ${root}`,
      );
    }
    mkdirSync(dirname(result.unitPath), { recursive: true });
    writeFileSync(result.unitPath, unit);
    this.run(scope, ["daemon-reload"]);
    this.run(scope, ["enable", "--now", result.unitName]);
    result.installed = true;
    if (options.json) return printJson(result);
    printLine(
      `${paint("✓", "green")} installed and started ${result.unitName} (${result.unitPath})`,
    );
    const ctl = scope === "user" ? "systemctl --user" : "systemctl";
    const journal = scope === "user" ? "journalctl --user-unit" : "journalctl -u";
    printLine(`  status: ${ctl} status ${result.unitName}   (or nerve status)`);
    printLine(`  log:    ${journal} ${result.unitName} -f   (or nerve logs -f)`);
    if (scope === "user") {
      printLine(
        `  to keep it running after you log out: loginctl enable-linger ${userInfo().username}`,
      );
    }
  }

  uninstall(options: ServiceOptions): void {
    const { root, scope } = this.target(options);
    const name = unitName(root);
    const path = unitPath(root, scope);
    const reason = this.systemd.unavailable();
    const existed = existsSync(path);
    if (reason === null && existed) {
      this.assertPrivileges(scope);
      this.run(scope, ["disable", "--now", name]);
    }
    rmSync(path, { force: true });
    if (reason === null && existed) this.run(scope, ["daemon-reload"]);
    if (options.json) return printJson({ unitName: name, unitPath: path, scope, removed: existed });
    printLine(existed ? `removed ${name} (${path})` : `${name} was not installed (${path})`);
    if (reason !== null) printError(`systemd is not available (${reason})`);
  }

  status(options: ServiceOptions): void {
    const { root, scope } = this.target(options);
    const name = unitName(root);
    const reason = this.systemd.unavailable();
    const state = (verb: string) =>
      reason === null ? this.systemd.systemctl(scope, [verb, name]).output || "unknown" : null;
    const status: ServiceStatus = {
      unitName: name,
      unitPath: unitPath(root, scope),
      scope,
      installed: existsSync(unitPath(root, scope)),
      active: state("is-active"),
      enabled: state("is-enabled"),
    };
    if (options.json) return printJson(status);
    printLine(`${status.unitName} (${status.scope} unit, ${status.unitPath})`);
    printLine(`  installed: ${status.installed ? "yes" : "no"}`);
    if (reason !== null) printLine(`  systemd is not available (${reason})`);
    else printLine(`  active: ${status.active}, enabled: ${status.enabled}`);
  }

  private target(options: ServiceOptions): { root: string; scope: ServiceScope } {
    if (options.user === true && options.system === true) {
      throw new CliError("--user and --system exclude each other; pick one", ExitCode.usage);
    }
    return {
      root: findWorkspace({ root: options.root }),
      scope: options.system ? "system" : "user",
    };
  }

  private assertPrivileges(scope: ServiceScope): void {
    if (scope === "system" && process.getuid?.() !== 0) {
      throw new CliError("a system unit needs root: sudo nerve service install --system");
    }
  }

  private run(scope: ServiceScope, args: string[]): void {
    const result = this.systemd.systemctl(scope, args);
    if (result.code !== 0) {
      throw new CliError(
        `systemctl ${scope === "user" ? "--user " : ""}${args.join(" ")} failed (exit ${result.code}): ${result.output}`,
      );
    }
  }
}
