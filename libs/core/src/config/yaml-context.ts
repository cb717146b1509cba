import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node as YamlNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";

import type { ConfigIssue } from "./config.types.js";
import { describeValue } from "./describe-value.js";
import { suggest } from "./suggest.js";

/** A node after alias resolution: what a value is made of. */
export type ValueNode = Scalar | YAMLMap | YAMLSeq;

/** A value in the document: `node` is its content (null when empty), `at` where to point at it. */
export interface Located {
  node: ValueNode | null;
  at: YamlNode | null;
}

/** One key of a mapping with its value. */
export interface Entry extends Located {
  key: string;
  path: string;
  keyNode: YamlNode | null;
}

/**
 * Walks a parsed nerve.yaml and collects issues with positions. Aliases are resolved through
 * one pass over the document so every `*ref` costs a map lookup, not a document scan.
 */
export class YamlContext {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  /** Offsets of repeated keys already reported with their path. */
  readonly duplicateOffsets = new Set<number>();
  private readonly aliases = new Map<Alias, YamlNode | undefined>();

  constructor(
    doc: Document,
    private readonly lines: LineCounter,
  ) {
    const anchors = new Map<string, YamlNode>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) this.aliases.set(node, anchors.get(node.source));
        else if (node.anchor !== undefined) anchors.set(node.anchor, node);
      },
    });
  }

  error(path: string, at: YamlNode | null | undefined, message: string): void {
    this.errors.push(this.issue(path, at, message));
  }

  warn(path: string, at: YamlNode | null | undefined, message: string): void {
    this.warnings.push(this.issue(path, at, message));
  }

  /** Resolves aliases and reports one that names no anchor. */
  locate(raw: unknown, path: string): Located {
    if (isAlias(raw)) {
      const target = this.aliases.get(raw);
      if (target === undefined || isAlias(target)) {
        this.error(path, raw, `alias *${raw.source} refers to no anchor defined before it`);
        return { node: null, at: raw };
      }
      return { node: target, at: raw };
    }
    if (isScalar(raw) || isMap(raw) || isSeq(raw)) return { node: raw, at: raw };
    return { node: null, at: null };
  }

  /**
   * The entries of a mapping. Keys must be scalars; a key that is a list or mapping is reported
   * and skipped, and so is a repeated key (the first one counts).
   */
  entries(map: YAMLMap, path: string): Entry[] {
    const out: Entry[] = [];
    const seen = new Set<string>();
    for (const pair of map.items) {
      const keyNode = isScalar(pair.key) || isAlias(pair.key) ? pair.key : null;
      const keyLocated = this.locate(pair.key, path);
      if (!isScalar(keyLocated.node)) {
        const at = isNode(pair.key) ? pair.key : isNode(pair.value) ? pair.value : map;
        this.error(path, at, `expected a name as key, got ${nodeKind(keyLocated.node)}`);
        continue;
      }
      const key = keyText(keyLocated.node.value);
      const entryPath = childPath(path, key);
      if (seen.has(key)) {
        const offset = keyNode?.range?.[0];
        if (offset !== undefined) this.duplicateOffsets.add(offset);
        this.error(
          entryPath,
          keyNode,
          `duplicate key ${JSON.stringify(key)}; each key may appear once`,
        );
        continue;
      }
      const value = this.locate(pair.value, entryPath);
      seen.add(key);
      out.push({ key, path: entryPath, keyNode, node: value.node, at: value.at ?? keyNode });
    }
    return out;
  }

  /** Reports an unknown key, naming the closest known key when one is close. */
  unknownKey(entry: Entry, known: readonly string[]): void {
    const close = suggest(entry.key, known);
    const tail =
      close !== null
        ? `did you mean ${JSON.stringify(close)}?`
        : `expected one of: ${known.join(", ")}`;
    this.error(
      entry.path,
      entry.keyNode ?? entry.at,
      `unknown key ${JSON.stringify(entry.key)}; ${tail}`,
    );
  }

  private issue(path: string, at: YamlNode | null | undefined, message: string): ConfigIssue {
    const offset = at?.range?.[0];
    if (offset === undefined) return { path, line: null, col: null, message };
    const { line, col } = this.lines.linePos(offset);
    return { path, line, col, message };
  }
}

/** True for a missing value, an empty value and an explicit `null` / `~`. */
export function isNothing(node: ValueNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** "a mapping", "a list", or the scalar as written, for "got …" in messages. */
export function nodeKind(node: ValueNode | null): string {
  if (node === null) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  return describeValue(node.value);
}

/** The plain value handed to the DTOs; nested collections are shallow since only their kind is checked. */
export function plainOf(node: ValueNode | null): unknown {
  if (node === null) return undefined;
  if (isMap(node)) return {};
  if (isSeq(node))
    return node.items.map((item) => (isScalar(item) ? item.value : isMap(item) ? {} : []));
  return node.value;
}

/** `senses` + `cpu` -> `senses.cpu`; `reflexes` + 0 -> `reflexes[0]`; odd keys are quoted. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${String(key)}]`;
  if (/^[A-Za-z0-9_-]+$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function keyText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return describeValue(value);
}
