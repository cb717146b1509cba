import type { ConfigIssue } from "./config.types.js";

/**
 * One line for a terminal or log, in the `file:line:col` form editors link:
 * `nerve.yaml:12:5 senses.cpu.throttle: expected a duration such as 10s or 1m30s, got "fast"`.
 */
export function formatIssue(issue: ConfigIssue, file = "nerve.yaml"): string {
  const where =
    issue.line === null ? file : `${file}:${String(issue.line)}:${String(issue.col ?? 1)}`;
  const path = issue.path === "" ? "" : ` ${issue.path}:`;
  return `${where}${path} ${issue.message}`;
}
