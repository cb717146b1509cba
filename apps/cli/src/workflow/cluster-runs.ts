import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, credsAuthenticator } from "@nats-io/transport-node";
import type { ClusterRunView, CompiledFederation } from "@nerve/core";
import { CliError } from "../common/cli-errors.js";
import { CONFIG_FILE } from "../common/workspace.js";
import { compileWorkspaceConfig } from "../validate/validate.service.js";

/** The KV bucket the daemons keep the cluster's run index in (see docs/FEDERATION.md). */
const RUN_INDEX_BUCKET = "nerve-runs";
/** How long the broker gets to answer. */
const TIMEOUT_MS = 5_000;

export interface ClusterRunPage {
  runs: ClusterRunView[];
  total: number;
  offset: number;
}

/**
 * Runs of `placement: cluster` workflows across the cluster, newest first, read from the run
 * index on the broker named by nerve.yaml's `federation` block (no daemon needed).
 */
export async function listClusterRuns(
  root: string,
  filter: { all: boolean; workflow?: string },
  paging: { limit: number; offset: number },
): Promise<ClusterRunPage> {
  const federation = federationOf(root);
  const nc = await connect({
    servers: federation.servers,
    name: `nerve-cli:${federation.node}`,
    timeout: TIMEOUT_MS,
    authenticator:
      federation.credentialsFile === null
        ? undefined
        : credsAuthenticator(readFileSync(resolve(root, federation.credentialsFile))),
  }).catch((error: unknown) => {
    throw new CliError(
      `--cluster: cannot reach the federation servers ${federation.servers.join(", ")}: ${(error as Error).message}`,
    );
  });
  try {
    const runs: ClusterRunView[] = [];
    const kvm = new Kvm(jetstream(nc, { timeout: TIMEOUT_MS }));
    let exists = false;
    for await (const status of kvm.list()) if (status.bucket === RUN_INDEX_BUCKET) exists = true;
    if (exists) {
      const kv = await kvm.open(RUN_INDEX_BUCKET);
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      for (const key of keys) {
        const entry = await kv.get(key);
        if (entry === null || entry.operation !== "PUT") continue;
        const run = entry.json<ClusterRunView>();
        if (filter.workflow !== undefined && run.workflow !== filter.workflow) continue;
        if (!filter.all && run.status !== "queued" && run.status !== "started") continue;
        runs.push(run);
      }
    }
    runs.sort((a, b) => b.createdAt - a.createdAt || b.runId.localeCompare(a.runId));
    return {
      runs: runs.slice(paging.offset, paging.offset + paging.limit),
      total: runs.length,
      offset: paging.offset,
    };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

function federationOf(root: string): CompiledFederation {
  const report = compileWorkspaceConfig(root);
  if (report.config === null) {
    throw new CliError(`--cluster: ${CONFIG_FILE} is not valid; see nerve validate`);
  }
  if (report.config.federation === null) {
    throw new CliError(
      `--cluster: ${CONFIG_FILE} has no federation block, so this daemon is in no cluster (see docs/FEDERATION.md)`,
    );
  }
  return report.config.federation;
}
