import { isAbsolute } from "node:path";
import { isScalar, isSeq } from "yaml";

import type { CompiledFederation, CompiledWorkflow, WorkspaceFs } from "./config.types.js";
import { FEDERATION_KEYS, FederationDto, INLINE_SECRET_KEYS } from "./dto/federation.dto.js";
import { readSettings, validateSection } from "./sections.js";
import { suggest } from "./suggest.js";
import { childPath, nodeKind, type Entry, type Located, type YamlContext } from "./yaml-context.js";

const WHAT = `a mapping with ${FEDERATION_KEYS.join(", ")}`;
const SERVER_URL = /^(?:(?:nats|tls|wss?):\/\/)?[^\s/:]+(?::\d{1,5})?\/?$/;

/** What the federation checks need from the rest of nerve.yaml. */
export interface FederationContext {
  /** Declared sense names; null when the `senses` section is malformed. */
  senses: readonly string[] | null;
  /** `on` entries naming remote senses. */
  remoteOn: readonly Entry[];
  workflows: readonly CompiledWorkflow[];
  workflowsSection: Located;
}

/**
 * The `federation` block: NATS servers, this daemon's node name, the senses it publishes and a
 * credentials file (secrets are never inline). Also warns where nerve.yaml uses the cluster
 * (remote `on` names, `placement: cluster`) without a federation block.
 */
export function compileFederation(
  ctx: YamlContext,
  entry: Entry | undefined,
  fs: WorkspaceFs,
  uses: FederationContext,
): CompiledFederation | null {
  if (entry === undefined || entry.node === null) {
    warnUnfederated(ctx, uses);
    return null;
  }
  const errorsBefore = ctx.errors.length;
  const fields = readSettings(ctx, entry, "federation", FEDERATION_KEYS, WHAT, (field) => {
    if (!(INLINE_SECRET_KEYS as readonly string[]).includes(field.key.toLowerCase())) return false;
    ctx.error(
      field.path,
      field.keyNode,
      `secrets are never written in nerve.yaml; put them in a NATS credentials file and name it with "credentials: path/to/file.creds"`,
    );
    return true;
  });
  if (fields === null) return null;
  const dto = validateSection(ctx, FederationDto, fields, "federation", entry.at);
  const servers = compileServers(ctx, fields.get("servers"));
  const publish = compilePublish(ctx, fields.get("publish"), uses.senses);
  const credentialsFile = compileCredentials(ctx, fields.get("credentials"), fs);
  if (dto === null || ctx.errors.length > errorsBefore || typeof dto.node !== "string") return null;
  return { servers, node: dto.node, publish, credentialsFile };
}

function compileServers(ctx: YamlContext, entry: Entry | undefined): string[] {
  const servers: string[] = [];
  if (entry === undefined || !isSeq(entry.node)) return servers;
  entry.node.items.forEach((raw, i) => {
    const path = childPath(entry.path, i);
    const item = ctx.locate(raw, path);
    const value = isScalar(item.node) ? item.node.value : undefined;
    if (typeof value !== "string" || !SERVER_URL.test(value)) {
      const got = typeof value === "string" ? JSON.stringify(value) : nodeKind(item.node);
      ctx.error(
        path,
        item.at,
        `expected a NATS server URL such as nats://127.0.0.1:4222, got ${got}`,
      );
      return;
    }
    if (!servers.includes(value)) servers.push(value);
  });
  return servers;
}

function compilePublish(
  ctx: YamlContext,
  entry: Entry | undefined,
  senses: readonly string[] | null,
): string[] {
  const publish: string[] = [];
  if (entry === undefined || !isSeq(entry.node)) return publish;
  entry.node.items.forEach((raw, i) => {
    const path = childPath(entry.path, i);
    const item = ctx.locate(raw, path);
    const value = isScalar(item.node) ? item.node.value : undefined;
    if (typeof value !== "string") {
      ctx.error(
        path,
        item.at,
        `expected the name of a declared sense or "*", got ${nodeKind(item.node)}`,
      );
      return;
    }
    if (value !== "*" && senses !== null && !senses.includes(value)) {
      const close = suggest(value, senses);
      const tail =
        close !== null
          ? `did you mean ${JSON.stringify(close)}?`
          : 'publish names senses of this daemon, or "*" for all';
      ctx.error(path, item.at, `unknown sense ${JSON.stringify(value)}; ${tail}`);
      return;
    }
    if (!publish.includes(value)) publish.push(value);
  });
  return publish.includes("*") ? ["*"] : publish;
}

function compileCredentials(
  ctx: YamlContext,
  entry: Entry | undefined,
  fs: WorkspaceFs,
): string | null {
  if (entry === undefined || !isScalar(entry.node) || typeof entry.node.value !== "string")
    return null;
  const path = entry.node.value;
  if (path.trim() === "") {
    ctx.error(
      entry.path,
      entry.at,
      "expected the path of a NATS credentials file (.creds), got an empty string",
    );
    return null;
  }
  // A file outside the workspace cannot be checked here; the connection reports it if it is missing.
  if (!isAbsolute(path) && !fs.isFile(path)) {
    ctx.error(
      entry.path,
      entry.at,
      `credentials file not found: expected a file at ${path} (relative to the workspace root)`,
    );
    return null;
  }
  return path;
}

function warnUnfederated(ctx: YamlContext, uses: FederationContext): void {
  for (const remote of uses.remoteOn) {
    ctx.warn(
      remote.path,
      remote.at,
      `${JSON.stringify(remote.key)} names a sense of another daemon, but there is no federation block, so it never fires`,
    );
  }
  for (const workflow of uses.workflows) {
    if (workflow.placement !== "cluster") continue;
    ctx.warn(
      `workflows.${workflow.name}.placement`,
      uses.workflowsSection.at,
      `workflow ${JSON.stringify(workflow.name)} has placement "cluster" but there is no federation block; its runs stay on this daemon`,
    );
  }
}
