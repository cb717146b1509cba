import { Injectable } from "@nestjs/common";
import { IpcError, type TriggerSenseRequest, type TriggerSenseResult } from "@nerve/core";
import { UnknownSenseError } from "../../reflex/errors/unknown-sense.error.js";
import { answer, type IpcRequestHandler } from "../ipc-handler.js";
import { SenseDirectory } from "../sense-directory.js";

/**
 * `trigger-sense`: queues a manual compute; an undeclared sense is `unknown_sense`. A trigger
 * refused because the daemon is stopping is answered `internal` with the scheduler's message.
 */
@Injectable()
export class TriggerSenseHandler implements IpcRequestHandler<"trigger-sense"> {
  constructor(private readonly senses: SenseDirectory) {}

  handle(request: TriggerSenseRequest): Promise<TriggerSenseResult> {
    return answer(() => {
      try {
        this.senses.trigger(request.sense);
      } catch (error) {
        if (error instanceof UnknownSenseError) throw new IpcError("unknown_sense", error.message);
        throw error;
      }
      return { sense: request.sense, accepted: true as const };
    });
  }
}
