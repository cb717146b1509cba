import type { CompiledDashboard } from "./config.types.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import { DASHBOARD_KEYS, DashboardDto } from "./dto/dashboard.dto.js";
import { integerOr } from "./compile-values.js";
import { readSettings, validateSection } from "./sections.js";
import type { Entry, YamlContext } from "./yaml-context.js";

const WHAT = `a mapping of dashboard settings (${DASHBOARD_KEYS.join(", ")}), or nothing for the defaults`;

/**
 * The `dashboard` section: absent means the dashboard is off; present (even empty) turns it on,
 * with the defaults for what it leaves out. Invalid settings are reported and give null.
 */
export function compileDashboard(
  ctx: YamlContext,
  entry: Entry | undefined,
): CompiledDashboard | null {
  if (entry === undefined) return null;
  const fields = readSettings(ctx, entry, "dashboard", DASHBOARD_KEYS, WHAT);
  if (fields === null) return null;
  const dto = validateSection(ctx, DashboardDto, fields, "dashboard", entry.at);
  if (dto === null) return null;
  return {
    port: integerOr(dto.port, CONFIG_DEFAULTS.dashboardPort),
    host: typeof dto.host === "string" ? dto.host : CONFIG_DEFAULTS.dashboardHost,
  };
}
