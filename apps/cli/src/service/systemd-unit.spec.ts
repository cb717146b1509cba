import { describe, expect, it } from "vitest";
import { unitContent, unitName, unitPath } from "./systemd-unit.js";

const spec = {
  root: "/home/ada/my ws",
  node: "/usr/bin/node",
  daemonMain: "/usr/lib/node_modules/nerve/node_modules/@nerve/daemon/dist/main.js",
  user: "ada",
};

/** `Key=value` lines of one section. */
function section(unit: string, name: string): string[] {
  const lines = unit.split("\n");
  const start = lines.indexOf(`[${name}]`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith("["));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.includes("="));
}

describe("systemd unit", () => {
  it("runs the daemon of the workspace in the foreground, supervised and restarted on failure", () => {
    const unit = unitContent({ ...spec, scope: "user" });
    expect(section(unit, "Service")).toEqual([
      "Type=notify",
      "NotifyAccess=all",
      `ExecStart=/usr/bin/node --max-semi-space-size=2 ${spec.daemonMain} --root "/home/ada/my ws" --foreground`,
      'WorkingDirectory="/home/ada/my ws"',
      "Environment=NO_COLOR=1",
      "Restart=on-failure",
      "RestartSec=5",
      "TimeoutStartSec=120",
      "TimeoutStopSec=30",
      "KillMode=mixed",
      "StandardOutput=journal",
      "StandardError=journal",
      "SyslogIdentifier=nerve",
    ]);
    expect(section(unit, "Install")).toEqual(["WantedBy=default.target"]);
    expect(section(unit, "Unit")).toContain("Description=Nerve daemon for /home/ada/my ws");
  });

  it("names the user in a system unit and starts it with the machine", () => {
    const unit = unitContent({ ...spec, scope: "system" });
    expect(section(unit, "Service")).toContain("User=ada");
    expect(section(unit, "Install")).toEqual(["WantedBy=multi-user.target"]);
  });

  it("names one unit per workspace, readable and stable", () => {
    expect(unitName("/home/ada/My WS")).toMatch(/^nerve-my-ws-[0-9a-f]{8}\.service$/);
    expect(unitName("/home/ada/My WS")).toBe(unitName("/home/ada/My WS"));
    expect(unitName("/srv/a/ws")).not.toBe(unitName("/srv/b/ws"));
  });

  it("puts a user unit in the user's systemd folder and a system one in /etc", () => {
    const previous = process.env.XDG_CONFIG_HOME;
    delete process.env.XDG_CONFIG_HOME;
    try {
      expect(unitPath("/srv/ws", "user", "/home/ada")).toBe(
        `/home/ada/.config/systemd/user/${unitName("/srv/ws")}`,
      );
    } finally {
      if (previous !== undefined) process.env.XDG_CONFIG_HOME = previous;
    }
    expect(unitPath("/srv/ws", "system")).toBe(`/etc/systemd/system/${unitName("/srv/ws")}`);
  });
});
