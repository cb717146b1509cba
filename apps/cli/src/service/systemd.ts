import { Injectable } from "@nestjs/common";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { ServiceScope } from "./systemd-unit.js";

/** The outcome of one systemctl call. */
export interface SystemctlRun {
  code: number;
  output: string;
}

/**
 * systemd on this machine: whether it runs (the check sd_booted(3) makes) and systemctl is on
 * the PATH, and systemctl itself. A provider, so the service commands are testable without one.
 */
@Injectable()
export class Systemd {
  /** Null when systemd can be used, else why not. */
  unavailable(): string | null {
    if (process.platform !== "linux") return `this is ${process.platform}, not Linux`;
    if (!existsSync("/run/systemd/system")) return "systemd is not the init system here";
    if (this.systemctl("user", ["--version"]).code !== 0) return "systemctl is not on the PATH";
    return null;
  }

  systemctl(scope: ServiceScope, args: string[]): SystemctlRun {
    const result = spawnSync("systemctl", scope === "user" ? ["--user", ...args] : args, {
      encoding: "utf8",
    });
    if (result.error) return { code: 127, output: result.error.message };
    return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}`.trim() };
  }
}
