import type { Socket } from "node:net";
import {
  encodeMessage,
  errorResponse,
  LineDecoder,
  LineTooLongError,
  parseRequestLine,
  toErrorResponse,
  type IpcRequest,
} from "@nerve/core";
import { UnixContext } from "./unix-context.js";

/** What a connection needs from its server. */
export interface RequestDispatcher {
  /** Answers one valid request with its encoded response line; never rejects. */
  dispatch(request: IpcRequest, context: UnixContext): Promise<string>;
  /** Reports a failure that has no client to answer (an after-reply callback threw). */
  reportError(message: string, error: unknown): void;
}

/** An answer waiting for its turn: responses leave in request order. */
interface Slot {
  line: string | null;
  context: UnixContext | null;
}

/**
 * After a `too_large` answer the server half-closes the connection; a client that then neither
 * reads nor closes is cut off after this long.
 */
const CUT_OFF_AFTER_MS = 1_000;

/**
 * Requests of one connection waiting for their answers; past this the connection stops reading
 * until answers have gone out, so a client that pipelines without end cannot exhaust memory.
 */
export const MAX_PENDING_PER_CONNECTION = 1_000;

/**
 * One client connection: splits the byte stream into lines, dispatches each request as soon as
 * it arrives (so a slow handler does not hold back the others) and writes the answers back in
 * request order. Bad lines get an error answer and the connection stays usable; an over-long
 * line gets `too_large` after the answers before it, and the connection is closed.
 *
 * Needs a server created with `allowHalfOpen`: a client may send its requests, end its side and
 * still read the answers.
 */
export class UnixConnection {
  private readonly decoder = new LineDecoder();
  private readonly queue: Slot[] = [];
  /** No more requests are read (the client ended, or sent an over-long line). */
  private inputClosed = false;
  /** End the connection once the queue is empty. */
  private endWhenFlushed = false;
  /** Reading is paused until answers have gone out (too many pending, or the peer not reading). */
  private throttled = false;

  constructor(
    readonly socket: Socket,
    private readonly dispatcher: RequestDispatcher,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("drain", () => this.resumeIfPossible());
    // A client that vanishes mid-answer (EPIPE, ECONNRESET) is no failure of the daemon.
    socket.on("error", () => undefined);
  }

  private onData(chunk: Buffer): void {
    if (this.inputClosed) return;
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (error) {
      if (error instanceof LineTooLongError) {
        for (const line of error.lines) this.accept(line);
      } else {
        // Not expected from the decoder; still, no byte a client sends may take the daemon down.
        this.dispatcher.reportError("reading a request failed", error);
      }
      this.closeAfter(encodeMessage(toErrorResponse(null, error)));
      return;
    }
    for (const line of lines) this.accept(line);
    if (this.queue.length >= MAX_PENDING_PER_CONNECTION) this.throttle();
  }

  private onEnd(): void {
    if (!this.inputClosed) {
      // The last request may lack its newline.
      for (const line of this.decoder.end()) this.accept(line);
    }
    this.inputClosed = true;
    this.endWhenFlushed = true;
    this.flush();
  }

  private accept(line: string): void {
    const parsed = parseRequestLine(line);
    if (!parsed.ok) {
      const { id, code, message } = parsed.error;
      this.queue.push({ line: encodeMessage(errorResponse(id, code, message)), context: null });
      this.flush();
      return;
    }
    const request = parsed.value;
    const context = new UnixContext([this.socket, request.type]);
    const slot: Slot = { line: null, context };
    this.queue.push(slot);
    this.dispatcher.dispatch(request, context).then(
      (answer) => this.fill(slot, answer),
      // dispatch never rejects; this keeps the queue moving even if it did.
      (error: unknown) => this.fill(slot, encodeMessage(toErrorResponse(request.id, error))),
    );
  }

  private fill(slot: Slot, line: string): void {
    slot.line = line;
    this.flush();
  }

  private closeAfter(line: string): void {
    this.inputClosed = true;
    this.endWhenFlushed = true;
    // Input is still read (and dropped) so that a client busy writing can get to the answer.
    this.queue.push({ line, context: null });
    this.flush();
    setTimeout(() => this.socket.destroy(), CUT_OFF_AFTER_MS).unref();
  }

  /** Writes every answer at the head of the queue that is ready, in one write. */
  private flush(): void {
    let out = "";
    let waiting: UnixContext[] | null = null;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.line === null) break;
      this.queue.shift();
      out += head.line;
      if (head.context?.hasAfterReply) (waiting ??= []).push(head.context);
    }
    if (out !== "") this.write(out, waiting);
    if (this.endWhenFlushed && this.queue.length === 0 && !this.socket.writableEnded) {
      this.socket.end();
    }
    if (this.throttled) this.resumeIfPossible();
  }

  private throttle(): void {
    this.throttled = true;
    this.socket.pause();
  }

  private resumeIfPossible(): void {
    if (!this.throttled || this.inputClosed) return;
    if (this.queue.length >= MAX_PENDING_PER_CONNECTION || this.socket.writableNeedDrain) return;
    this.throttled = false;
    this.socket.resume();
  }

  private write(out: string, waiting: UnixContext[] | null): void {
    const afterWrite =
      waiting === null
        ? undefined
        : () => {
            for (const context of waiting) {
              context.runAfterReply((error) =>
                this.dispatcher.reportError("an after-reply callback failed", error),
              );
            }
          };
    if (!this.socket.writable) {
      afterWrite?.();
      return;
    }
    // A client that sends but does not read must not make the daemon buffer without bound.
    if (!this.socket.write(out, afterWrite)) this.throttle();
  }
}
