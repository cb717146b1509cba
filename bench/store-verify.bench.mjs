// store.verify: `nerve store verify`'s walk (StoreVerifier.verify) over a log of 1,000,000 rows,
// against a bare sha256 over the same bytes: one sha256 per row over that row's `prev ‖
// canonical(row)`, the very text the chain hashes, all held in memory — what checking a per-row
// chain costs with nothing read. Reported beside it: one sha256 streamed over all those bytes
// (a chain cannot be checked that way, see docs/PERFORMANCE.md). The log is written with raw
// prepared INSERTs, each row's hash computed by the store's own chain code.
import { createHash, hash as sha256 } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  GENESIS_HASH,
  StoreVerifier,
  canonicalRow,
  chainHash,
  openLogDatabase,
} from "@nerve/store/archive";

export const figures = ["store.verify"];

const INSERT =
  "INSERT INTO log (ts, source, type, ref_id, payload, hash) VALUES (?, ?, ?, ?, ?, ?)";
const BATCH = 50_000;
const CHUNK_BYTES = 1 << 20;
const SOURCES = ["sense:cpu", "sense:disk", "sense:load-watch", "daemon"];

/** A row much like a signal: a sense, an id it is about, a small JSON payload. */
function row(i, base) {
  const source = SOURCES[i % SOURCES.length];
  return {
    ts: base + i * 10,
    source,
    type: source === "daemon" ? "workflow.started" : "signal",
    refId: `0193a5b2-7c41-7${(i % 4096).toString(16).padStart(3, "0")}-8000-${String(i).padStart(12, "0")}`,
    payload: JSON.stringify({ i, pct: i % 100, host: "bench-host", load: [0.5, 0.25, 0.1] }),
  };
}

/**
 * Writes `rows` chained rows into a fresh workspace's log.
 *
 * @returns the bytes the chain hashes, in chunks of about 1 MiB of whole rows, and each row's
 *   length in bytes.
 */
function buildLog(root, rows) {
  const db = openLogDatabase(root);
  const insert = db.prepare(INSERT);
  const chunks = [];
  const lengths = new Int32Array(rows);
  let pending = [];
  let pendingBytes = 0;
  let prev = GENESIS_HASH;
  const base = Date.UTC(2026, 0, 1);
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i += 1) {
      const r = row(i, base);
      const canonical = canonicalRow(i + 1, r.ts, r.source, r.type, r.refId, r.payload);
      const text = prev + canonical;
      const hash = chainHash(prev, canonical);
      insert.run(r.ts, r.source, r.type, r.refId, r.payload, hash);
      pending.push(text);
      // Canonical text is ASCII here (a spec of the verifier covers other text).
      lengths[i] = text.length;
      pendingBytes += text.length;
      if (pendingBytes >= CHUNK_BYTES) {
        chunks.push(Buffer.from(pending.join("")));
        pending = [];
        pendingBytes = 0;
      }
      prev = hash;
    }
  });
  for (let i = 0; i < rows; i += BATCH) batch(i, Math.min(rows, i + BATCH));
  if (pending.length > 0) chunks.push(Buffer.from(pending.join("")));
  db.close();
  return { chunks, lengths, head: prev };
}

/** ms of one sha256 streamed over all the chunks. */
function streamSha256(chunks) {
  const start = performance.now();
  const hash = createHash("sha256");
  for (const chunk of chunks) hash.update(chunk);
  hash.digest("hex");
  return performance.now() - start;
}

/**
 * ms of one sha256 per row over the same bytes in memory: what the chain itself costs, with
 * nothing read — the floor of any verifier of a per-row hash chain in Node on one thread.
 */
function perRowSha256(chunks, lengths) {
  const start = performance.now();
  let row = 0;
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; row += 1) {
      sha256("sha256", chunk.subarray(offset, offset + lengths[row]), "hex");
      offset += lengths[row];
    }
  }
  const ms = performance.now() - start;
  if (row !== lengths.length) throw new Error(`per-row sha256: ${row} rows, not ${lengths.length}`);
  return ms;
}

/** ms of the least a verifier reading the database does: every row read, its hash recomputed. */
function readAndHash(root) {
  const db = openLogDatabase(root, { readonly: true });
  const start = performance.now();
  let prev = GENESIS_HASH;
  let bad = 0;
  const rows = db
    .prepare("SELECT id, ts, source, type, ref_id, payload, hash FROM log ORDER BY id")
    .raw()
    .iterate();
  for (const [id, ts, source, type, refId, payload, hash] of rows) {
    const text = `${prev}[${id},${ts},${JSON.stringify(source)},${JSON.stringify(type)},${JSON.stringify(refId)},${payload}]`;
    if (sha256("sha256", text, "hex") !== hash) bad += 1;
    prev = hash;
  }
  const ms = performance.now() - start;
  db.close();
  if (bad > 0) throw new Error(`read-and-hash baseline: ${bad} rows did not match`);
  return ms;
}

/** ms of StoreVerifier.verify() on the workspace; throws unless it finds the log intact. */
async function verify(root, rows, head) {
  const db = openLogDatabase(root);
  try {
    const start = performance.now();
    const report = await new StoreVerifier(db, root).verify();
    const ms = performance.now() - start;
    if (!report.ok || report.rows.db !== rows || report.head.hash !== head) {
      throw new Error(
        `verify did not find the log intact: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 3) })}`,
      );
    }
    return ms;
  } finally {
    db.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round2 = (value) => Math.round(value * 100) / 100;

export default async function bench({ quick = false } = {}) {
  const rows = quick ? 100_000 : 1_000_000;
  const rounds = 3;
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-verify-"));
  try {
    const buildStart = performance.now();
    const { chunks, lengths, head } = buildLog(root, rows);
    const buildMs = performance.now() - buildStart;
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    // Warm up both sides once, then alternate so drift on a shared machine hits both alike.
    streamSha256(chunks);
    perRowSha256(chunks, lengths);
    await verify(root, rows, head);
    const stream = [];
    const verified = [];
    const readHash = [];
    const perRow = [];
    for (let i = 0; i < rounds; i += 1) {
      stream.push(streamSha256(chunks));
      perRow.push(perRowSha256(chunks, lengths));
      verified.push(await verify(root, rows, head));
    }
    // Informational, and the slowest part of the run: once.
    readHash.push(readAndHash(root));
    const value = median(verified);
    const baselineValue = median(perRow);
    const ratio = value / baselineValue;
    return [
      {
        name: "store.verify",
        value: round2(value),
        unit: "ms",
        baseline: "bare sha256 per row over the same bytes (prev ‖ canonical row), in memory",
        baselineValue: round2(baselineValue),
        ratio: Math.round(ratio * 1_000) / 1_000,
        target: "ratio <= 2",
        pass: ratio <= 2,
        rows,
        rounds,
        bytes,
        buildMs: Math.round(buildMs),
        verifyRoundsMs: verified.map(round2),
        perRowRoundsMs: perRow.map(round2),
        // One sha256 streamed over all the same bytes: the hash alone, no per-row calls.
        streamSha256Ms: round2(median(stream)),
        streamRoundsMs: stream.map(round2),
        streamRatio: Math.round((value / median(stream)) * 1_000) / 1_000,
        perRowSha256Ratio: Math.round((baselineValue / median(stream)) * 1_000) / 1_000,
        // The least a verifier on SQLite does: every row read, one sha256 per row compared.
        readAndHashMs: round2(median(readHash)),
        readAndHashRatio: Math.round((value / median(readHash)) * 1_000) / 1_000,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
