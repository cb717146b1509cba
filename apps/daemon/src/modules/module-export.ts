import type { DynamicModule, Type } from "@nestjs/common";
import { ModuleExportError } from "./errors/module.error.js";

/** What a user module file hands to the daemon: a module class or a dynamic module. */
export type UserModuleDefinition = Type | DynamicModule;

// The keys `@Module({...})` records on a class (an empty `@Module({})` records none and offers
// nothing to load anyway).
const MODULE_METADATA_KEYS = ["imports", "providers", "controllers", "exports"];

/** Whether `value` is a class decorated with `@Module({...})`. */
export function isModuleClass(value: unknown): value is Type {
  if (typeof value !== "function") return false;
  return MODULE_METADATA_KEYS.some((key) => Reflect.getOwnMetadata(key, value) !== undefined);
}

/** Whether `value` is a dynamic module (`{ module: SomeClass, providers: [...] }`). */
export function isDynamicModule(value: unknown): value is DynamicModule {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { module?: unknown }).module === "function"
  );
}

/**
 * Picks the Nest module a user module file exports:
 * 1. its default export, when that is a class decorated with `@Module({...})` or a dynamic module;
 * 2. else its one named export that is a `@Module` class or a dynamic module.
 *
 * @throws ModuleExportError when there is none, or several named ones and no default.
 */
export function pickModule(file: string, namespace: Record<string, unknown>): UserModuleDefinition {
  const fallback = namespace.default;
  if (isModuleClass(fallback) || isDynamicModule(fallback)) return fallback;
  const named = Object.entries(namespace).filter(
    ([name, value]) => name !== "default" && (isModuleClass(value) || isDynamicModule(value)),
  );
  if (named.length === 1) return named[0][1] as UserModuleDefinition;
  if (named.length > 1) {
    throw new ModuleExportError(
      file,
      `exports several Nest modules (${named.map(([name]) => name).join(", ")}): expected one, ` +
        "or the one to load as the default export",
    );
  }
  const exported = Object.keys(namespace);
  throw new ModuleExportError(
    file,
    "exports no Nest module: expected a default export, or one named export, that is a class " +
      "decorated with @Module({ ... }) (or a dynamic module); " +
      (exported.length === 0 ? "it exports nothing" : `it exports ${exported.join(", ")}`),
  );
}

/** The name of a module definition, for the daemon log. */
export function moduleName(definition: UserModuleDefinition): string {
  return isDynamicModule(definition) ? definition.module.name : definition.name;
}
