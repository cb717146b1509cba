import { Test } from "@nestjs/testing";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ServiceService } from "./service.service.js";
import { Systemd } from "./systemd.js";
import { unitName } from "./systemd-unit.js";

describe(ServiceService.name, () => {
  let dir: string;
  let root: string;
  let calls: string[][];
  let service: ServiceService;
  const previous = process.env.XDG_CONFIG_HOME;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "nerve-service-"));
    root = join(dir, "ws");
    process.env.XDG_CONFIG_HOME = join(dir, "config");
    mkdirSync(root);
    writeFileSync(join(root, "nerve.yaml"), "senses: {}\n");
    calls = [];
    const systemd: Pick<Systemd, "unavailable" | "systemctl"> = {
      unavailable: () => null,
      systemctl: (scope, args) => {
        calls.push([scope, ...args]);
        return { code: 0, output: "active" };
      },
    };
    const app = await Test.createTestingModule({
      providers: [ServiceService, { provide: Systemd, useValue: systemd }],
    }).compile();
    service = app.get(ServiceService);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes the user unit, reloads systemd, then enables and starts it", () => {
    service.install({ root });
    const name = unitName(root);
    const unit = readFileSync(join(dir, "config", "systemd", "user", name), "utf8");
    expect(unit).toContain(`--root ${root} --foreground`);
    expect(calls).toEqual([
      ["user", "daemon-reload"],
      ["user", "enable", "--now", name],
    ]);
  });

  it("disables, stops and removes it on uninstall", () => {
    service.install({ root });
    calls = [];
    service.uninstall({ root });
    const name = unitName(root);
    expect(calls).toEqual([
      ["user", "disable", "--now", name],
      ["user", "daemon-reload"],
    ]);
    expect(() => readFileSync(join(dir, "config", "systemd", "user", name))).toThrow();
  });
});
