import { Inject, Injectable } from "@nestjs/common";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";

/**
 * The workspace the engine runs in. User modules are compiled into `.nerve/build/`, so
 * `import.meta.url` does not point at their sources: paths of the workspace come from here.
 */
@Injectable()
export class NerveWorkspace {
  /** Absolute path of the workspace folder (the one holding nerve.yaml), symlinks resolved. */
  readonly root: string;

  constructor(@Inject(NERVE_OPTIONS) options: NerveOptions) {
    this.root = options.root;
  }

  /**
   * An absolute path inside the workspace, e.g. `workspace.path("notifier.json")`.
   *
   * @throws RangeError when the path leads outside the workspace.
   */
  path(...segments: string[]): string {
    const path = resolve(this.root, ...segments);
    const inside = relative(this.root, path);
    if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new RangeError(
        `${segments.join("/")} leads outside the workspace ${this.root}: expected a path inside it`,
      );
    }
    return path;
  }
}
