import { Injectable, type Type } from "@nestjs/common";
import { LazyModuleLoader } from "@nestjs/core";

/** A feature module of the CLI and the service in it that commands call. */
export interface Feature<T> {
  module: Type<unknown>;
  service: Type<T>;
}

/** What a `*.feature.ts` file exports, so a command can import it on first use. */
export interface FeatureFile<T> {
  feature: Feature<T>;
}

/**
 * Loads feature modules when a command first needs one, through Nest's LazyModuleLoader. The CLI
 * module itself registers only the light command classes, so a command loads the config compiler
 * (class-validator, yaml), the store (better-sqlite3) or the socket client only when it uses them:
 * `nerve status` never loads the first two, `nerve workflow list` never the last.
 */
@Injectable()
export class Features {
  constructor(private readonly loader: LazyModuleLoader) {}

  /** The feature's service, its module built (once) on first use. */
  async get<T>(load: () => Promise<FeatureFile<T>>): Promise<T> {
    const { feature } = await load();
    const moduleRef = await this.loader.load(() => feature.module, { logger: false });
    return moduleRef.get(feature.service);
  }
}
