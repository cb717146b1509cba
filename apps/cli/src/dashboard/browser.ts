import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The command that opens a URL in this machine's browser, or null where there is none to open
 * (a server without a display, a container): `$BROWSER` when set, else `open` on macOS,
 * `xdg-open` on a Linux or BSD desktop (with a display), `explorer` on Windows.
 */
export function browserCommand(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.BROWSER !== undefined && env.BROWSER !== "") return env.BROWSER;
  switch (process.platform) {
    case "darwin":
      return "open";
    case "win32":
      return "explorer";
    default:
      if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
      return onPath("xdg-open", env.PATH ?? "") ? "xdg-open" : null;
  }
}

/** Opens `url` with `command`, detached; whether it could be started at all. */
export function openInBrowser(command: string, url: string): boolean {
  try {
    const child = spawn(command, [url], { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
