import { DAEMON_NODE_FLAGS } from "@nerve/core";
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { basename, join } from "node:path";

/** A user unit (`systemctl --user`, runs while the user is logged in or lingering) or a system one. */
export type ServiceScope = "user" | "system";

/** What a unit runs. */
export interface UnitSpec {
  /** The workspace, canonical. */
  root: string;
  scope: ServiceScope;
  /** The Node.js binary (the one running this CLI). */
  node: string;
  /** The daemon's entry point (`@nerve/daemon/main`) of this install. */
  daemonMain: string;
  /** For a system unit: the user the daemon runs as. */
  user: string;
}

/** `nerve-<folder>-<8 hex of the path>.service`: one unit per workspace, recognisable by name. */
export function unitName(root: string): string {
  const folder =
    basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "workspace";
  const digest = createHash("sha256").update(root, "utf8").digest("hex").slice(0, 8);
  return `nerve-${folder}-${digest}.service`;
}

/** Where the unit file goes: the user's systemd folder, or /etc/systemd/system. */
export function unitPath(root: string, scope: ServiceScope, home = homedir()): string {
  const dir =
    scope === "user"
      ? join(process.env.XDG_CONFIG_HOME ?? join(home, ".config"), "systemd", "user")
      : "/etc/systemd/system";
  return join(dir, unitName(root));
}

/** Quotes a word for ExecStart= (systemd splits on spaces and reads C-style escapes). */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
    ? word
    : `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The unit: the daemon in the foreground under systemd's supervision. Ready when the daemon says
 * so (Type=notify: it calls systemd-notify once its socket answers and its pid file is written);
 * restarted when it fails, not when it is stopped (`nerve daemon stop` exits 0); its log to the
 * journal (stdout, `--foreground`) as well as logs/nerve.log. At stop, SIGTERM goes to the
 * daemon alone (KillMode=mixed), which drains and stops its workers; anything left after
 * TimeoutStopSec is killed.
 */
export function unitContent(spec: UnitSpec): string {
  const exec = [
    spec.node,
    ...DAEMON_NODE_FLAGS,
    spec.daemonMain,
    "--root",
    spec.root,
    "--foreground",
  ].map(quote);
  return [
    "# Written by `nerve service install`; `nerve service uninstall` removes it.",
    "[Unit]",
    `Description=Nerve daemon for ${spec.root}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=notify",
    "NotifyAccess=all",
    `ExecStart=${exec.join(" ")}`,
    `WorkingDirectory=${quote(spec.root)}`,
    ...(spec.scope === "system" ? [`User=${spec.user}`] : []),
    "Environment=NO_COLOR=1",
    "Restart=on-failure",
    "RestartSec=5",
    "TimeoutStartSec=120",
    "TimeoutStopSec=30",
    "KillMode=mixed",
    "StandardOutput=journal",
    "StandardError=journal",
    "SyslogIdentifier=nerve",
    "",
    "[Install]",
    `WantedBy=${spec.scope === "user" ? "default.target" : "multi-user.target"}`,
    "",
  ].join("\n");
}
