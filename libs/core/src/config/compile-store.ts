import type { CompiledStore } from "./config.types.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import { STORE_KEYS, StoreDto } from "./dto/store.dto.js";
import { durationOr } from "./compile-values.js";
import { formatDuration } from "./duration.js";
import { readSettings, validateSection } from "./sections.js";
import { parseSize } from "./size.js";
import type { Entry, YamlContext } from "./yaml-context.js";

const WHAT = `a mapping of store settings (${STORE_KEYS.join(", ")}) or nothing for the defaults`;

/** The `store` block: retention of the log and its archive, defaults where it is silent. */
export function compileStore(ctx: YamlContext, entry: Entry | undefined): CompiledStore {
  const defaults: CompiledStore = {
    archiveAfterMs: CONFIG_DEFAULTS.archiveAfterMs,
    deleteArchiveAfterMs: null,
    maxSizeBytes: null,
  };
  if (entry === undefined) return defaults;
  const fields = readSettings(ctx, entry, "store", STORE_KEYS, WHAT);
  if (fields === null) return defaults;
  const dto = validateSection(ctx, StoreDto, fields, "store", entry.at);
  if (dto === null) return defaults;
  const store: CompiledStore = {
    archiveAfterMs: durationOr(dto.archive_after, defaults.archiveAfterMs),
    deleteArchiveAfterMs:
      typeof dto.delete_archive_after === "string" ? durationOr(dto.delete_archive_after, 0) : null,
    maxSizeBytes: typeof dto.max_size === "string" ? sizeOr(dto.max_size) : null,
  };
  if (store.deleteArchiveAfterMs !== null && store.deleteArchiveAfterMs <= store.archiveAfterMs) {
    const deleteAfter = fields.get("delete_archive_after");
    ctx.warn(
      "store.delete_archive_after",
      deleteAfter?.at ?? entry.at,
      `delete_archive_after (${formatDuration(store.deleteArchiveAfterMs)}) is not longer than ` +
        `archive_after (${formatDuration(store.archiveAfterMs)}): rows are deleted as soon as ` +
        "they are archived",
    );
  }
  return store;
}

function sizeOr(text: string): number | null {
  const parsed = parseSize(text);
  return parsed.ok ? parsed.value : null;
}
