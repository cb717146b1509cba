import { Injectable } from "@nestjs/common";

/**
 * The time source of the engine. Services read the time through it so that tests can fake it
 * (with vitest's fake timers, which also drive setTimeout) instead of waiting.
 */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
