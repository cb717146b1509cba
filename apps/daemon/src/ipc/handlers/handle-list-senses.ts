import { Injectable } from "@nestjs/common";
import type { ListSensesRequest, ListSensesResult } from "@nerve/core";
import { answer, type IpcRequestHandler } from "../ipc-handler.js";
import { SenseDirectory } from "../sense-directory.js";

/** `list-senses`: every declared sense with its config and live stats. */
@Injectable()
export class ListSensesHandler implements IpcRequestHandler<"list-senses"> {
  constructor(private readonly senses: SenseDirectory) {}

  handle(_request: ListSensesRequest): Promise<ListSensesResult> {
    return answer(() => this.senses.list());
  }
}
