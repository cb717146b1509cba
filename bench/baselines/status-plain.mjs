#!/usr/bin/env node
// Baseline for `nerve status --json`: the least a program can do to answer it. Finds the socket
// the way the daemon derives it, sends one `health` request, prints the result as JSON.
//   node bench/baselines/status-plain.mjs <workspace>
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAX_SOCKET_PATH_BYTES = 100;

const root = realpathSync(process.argv[2] ?? process.cwd());
let path = join(root, "nerve.sock");
if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
  const digest = createHash("sha256").update(root, "utf8").digest("hex").slice(0, 16);
  path = join(tmpdir(), `nerve-${process.getuid()}`, `${digest}.sock`);
}

const socket = connect(path);
let buffered = "";
socket.setEncoding("utf8");
socket.on("connect", () => socket.write(`${JSON.stringify({ id: 1, type: "health" })}\n`));
socket.on("data", (chunk) => {
  buffered += chunk;
  const nl = buffered.indexOf("\n");
  if (nl < 0) return;
  const response = JSON.parse(buffered.slice(0, nl));
  socket.destroy();
  if (!response.ok) {
    process.stderr.write(`${response.error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(response.result, null, 2)}\n`);
});
socket.on("error", () => {
  process.stdout.write(`${JSON.stringify({ running: false }, null, 2)}\n`);
  process.exit(3);
});
