// The whole engine in this process (NerveModule from the built @nerve/daemon, no socket, no
// watcher), as an embedding app or a test would run it; its workers are real forked processes.
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { NerveModule } from "@nerve/daemon";

/** Starts NerveModule.forRoot({root, ipc: false, watch: false}); resolves once bootstrapped. */
export function startEngine(root) {
  return NestFactory.createApplicationContext(
    NerveModule.forRoot({ root, ipc: false, watch: false }),
    { logger: false, abortOnError: false },
  );
}
