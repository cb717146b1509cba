import { statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { WorkspaceFs } from "./config.types.js";

/** The real file system under a workspace root, as the config compiler sees it; nothing outside the root is visible. */
export class NodeWorkspaceFs implements WorkspaceFs {
  constructor(private readonly root: string) {}

  isFile(relativePath: string): boolean {
    const path = resolve(this.root, relativePath);
    const rel = relative(this.root, path);
    if (rel.startsWith("..") || isAbsolute(rel)) return false;
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }
}
