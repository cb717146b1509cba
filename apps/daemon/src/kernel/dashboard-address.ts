import { Injectable } from "@nestjs/common";

/**
 * Where the web dashboard answers right now, or null while it is off (not configured, or its
 * port could not be opened). Set by the dashboard module, read by `health`.
 */
@Injectable()
export class DashboardAddress {
  url: string | null = null;
}
