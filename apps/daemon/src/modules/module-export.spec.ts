import { Injectable, Module } from "@nestjs/common";
import { describe, expect, it } from "vitest";
import { ModuleExportError } from "./errors/module.error.js";
import { isDynamicModule, isModuleClass, pickModule } from "./module-export.js";

@Injectable()
class Service {}

@Module({ providers: [Service] })
class FirstModule {}

@Module({ imports: [FirstModule] })
class SecondModule {}

@Module({})
class EmptyModule {}

describe(pickModule.name, () => {
  it("takes the default export when it is a module class", () => {
    expect(pickModule("m.ts", { default: SecondModule, FirstModule })).toBe(SecondModule);
  });

  it("takes a dynamic module given as the default export", () => {
    const dynamic = { module: EmptyModule, providers: [Service] };
    expect(pickModule("m.ts", { default: dynamic })).toBe(dynamic);
  });

  it("takes the one named module when the default export is not a module", () => {
    expect(pickModule("m.ts", { default: Service, Service, FirstModule })).toBe(FirstModule);
  });

  it("refuses several named modules without a default, naming them", () => {
    expect(() => pickModule("modules/m.ts", { FirstModule, SecondModule })).toThrow(
      new ModuleExportError(
        "modules/m.ts",
        "exports several Nest modules (FirstModule, SecondModule): expected one, or the one to load as the default export",
      ),
    );
  });

  it("refuses a file without a module, listing what it exports", () => {
    expect(() => pickModule("modules/m.ts", { Service, answer: 42 })).toThrow(
      /^module modules\/m\.ts exports no Nest module: .* it exports Service, answer$/,
    );
    expect(() => pickModule("modules/m.ts", {})).toThrow(/it exports nothing$/);
  });
});

describe(isModuleClass.name, () => {
  it("recognises classes decorated with @Module({...}), not services or values", () => {
    expect([FirstModule, SecondModule, Service, {}, "x"].map(isModuleClass)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe(isDynamicModule.name, () => {
  it("recognises objects whose module is a class", () => {
    expect(isDynamicModule({ module: EmptyModule })).toBe(true);
    expect(isDynamicModule({ module: "EmptyModule" })).toBe(false);
    expect(isDynamicModule(null)).toBe(false);
  });
});
