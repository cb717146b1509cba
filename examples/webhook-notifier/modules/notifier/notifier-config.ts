import { readFileSync } from "node:fs";

/** Where the notifier sends, which senses, and how hard it tries. */
export class NotifierConfig {
  /** The webhook: `NERVE_WEBHOOK_URL`, else `url` in notifier.json. */
  url!: string;
  /** Senses whose signals are sent; empty: every sense. */
  senses!: string[];
  /** Signs each body with HMAC-SHA256 (`x-nerve-signature: sha256=<hex>`) when set. */
  secret!: string | null;
  /** Tries per signal, the first included. */
  maxAttempts!: number;
  /** Wait before the second try; doubled for each further one, up to maxBackoffMs. */
  backoffMs!: number;
  maxBackoffMs!: number;
  /** Longest wait for one response. */
  timeoutMs!: number;
}

const DEFAULTS = { maxAttempts: 5, backoffMs: 1_000, maxBackoffMs: 60_000, timeoutMs: 10_000 };

/** The notifier's settings file, in the workspace folder. */
export const CONFIG_FILE = "notifier.json";

/**
 * Reads `file` (optional when NERVE_WEBHOOK_URL is set) and checks it. Throwing here fails the
 * module's start: the daemon records a `config.error` naming the module and runs on.
 */
export function loadNotifierConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): NotifierConfig {
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const url = env.NERVE_WEBHOOK_URL || raw.url;
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
    throw new Error(
      `no webhook URL: expected NERVE_WEBHOOK_URL or "url" in ${file} to be an http(s) URL, got ${JSON.stringify(url ?? null)}`,
    );
  }
  const senses = raw.senses ?? [];
  if (!Array.isArray(senses) || !senses.every((sense) => typeof sense === "string")) {
    throw new Error(`"senses" in ${file} must be a list of sense names`);
  }
  const secret = env.NERVE_WEBHOOK_SECRET || raw.secret || null;
  if (secret !== null && typeof secret !== "string") {
    throw new Error(`"secret" in ${file} must be a string`);
  }
  const config = { url, senses, secret } as NotifierConfig;
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const value = raw[key] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new Error(
        `"${key}" in ${file} must be a positive integer, got ${JSON.stringify(value)}`,
      );
    }
    (config as unknown as Record<string, number>)[key] = value;
  }
  return Object.assign(new NotifierConfig(), config);
}
