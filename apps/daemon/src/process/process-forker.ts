import { Injectable } from "@nestjs/common";
import { fork, type ChildProcess, type ForkOptions } from "node:child_process";

/** Starts child processes; a provider so that process creation can be observed or replaced. */
@Injectable()
export class ProcessForker {
  fork(file: string, options: ForkOptions): ChildProcess {
    return fork(file, [], options);
  }
}
