import { describe, expect, it } from "vitest";
import type { CompiledConfig, CompiledSense } from "./config.types.js";
import { findSense, findWorkflow } from "./find.js";

const sense = (name: string, group = "default"): CompiledSense =>
  ({ name, group }) as unknown as CompiledSense;

function configOf(senses: CompiledSense[]): CompiledConfig {
  return { senses, workflows: [{ name: "checkup" }] } as unknown as CompiledConfig;
}

describe(findSense.name, () => {
  it("finds a declared sense by name, and nothing for another name", () => {
    const config = configOf([sense("cpu"), sense("disk")]);
    expect(findSense(config, "disk")?.name).toBe("disk");
    expect(findSense(config, "cpu")?.name).toBe("cpu");
    expect(findSense(config, "memory")).toBeUndefined();
    expect(findWorkflow(config, "checkup")?.name).toBe("checkup");
    expect(findWorkflow(config, "cpu")).toBeUndefined();
  });

  it("sees a sense added to the list after a lookup", () => {
    const senses = [sense("cpu")];
    const config = configOf(senses);
    expect(findSense(config, "disk")).toBeUndefined();
    senses.push(sense("disk"));
    expect(findSense(config, "disk")?.name).toBe("disk");
  });

  it("gives the first of two entries with one name, as a scan would", () => {
    const config = configOf([sense("cpu", "a"), sense("cpu", "b")]);
    expect(findSense(config, "cpu")?.group).toBe("a");
  });
});
