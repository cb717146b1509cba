import { err, type Result } from "../result.js";
import type { IpcErrorCode } from "./errors/ipc.error.js";
import {
  describeValue,
  IPC_ID_EXPECTED,
  isIpcId,
  isJsonObject,
  type IpcId,
  type JsonObject,
} from "./fields.js";
import {
  validateHealthRequest,
  type HealthRequest,
  type HealthResult,
} from "./message-types/health.js";
import {
  validateListSensesRequest,
  type ListSensesRequest,
  type ListSensesResult,
} from "./message-types/list-senses.js";
import {
  validateShutdownRequest,
  type ShutdownRequest,
  type ShutdownResult,
} from "./message-types/shutdown.js";
import {
  validateTriggerSenseRequest,
  type TriggerSenseRequest,
  type TriggerSenseResult,
} from "./message-types/trigger-sense.js";
import {
  validateTriggerWorkflowRequest,
  type TriggerWorkflowRequest,
  type TriggerWorkflowResult,
} from "./message-types/trigger-workflow.js";

/** Every request the daemon answers, told apart by `type`. */
export type IpcRequest =
  | HealthRequest
  | ListSensesRequest
  | TriggerSenseRequest
  | TriggerWorkflowRequest
  | ShutdownRequest;

export type IpcRequestType = IpcRequest["type"];

/** The request of one type. */
export type RequestOf<T extends IpcRequestType> = Extract<IpcRequest, { type: T }>;

/** The fields a caller supplies for a request of one type (everything but `id` and `type`). */
export type ParamsOf<T extends IpcRequestType> = Omit<RequestOf<T>, "id" | "type">;

interface IpcResults {
  health: HealthResult;
  "list-senses": ListSensesResult;
  "trigger-sense": TriggerSenseResult;
  "trigger-workflow": TriggerWorkflowResult;
  shutdown: ShutdownResult;
}

/** The `result` of a successful response to a request of type `T`. */
export type ResultOf<T extends IpcRequestType> = IpcResults[T];

type Validators = {
  readonly [T in IpcRequestType]: (id: IpcId, body: JsonObject) => Result<RequestOf<T>, string>;
};

// A mapped type, so adding a request type without its validator does not compile.
const VALIDATORS: Validators = {
  health: validateHealthRequest,
  "list-senses": validateListSensesRequest,
  "trigger-sense": validateTriggerSenseRequest,
  "trigger-workflow": validateTriggerWorkflowRequest,
  shutdown: validateShutdownRequest,
};

/** Every request type, in the order of the SPEC's table. */
export const IPC_REQUEST_TYPES: readonly IpcRequestType[] = Object.freeze(
  Object.keys(VALIDATORS) as IpcRequestType[],
);

export function isIpcRequestType(value: unknown): value is IpcRequestType {
  return typeof value === "string" && Object.hasOwn(VALIDATORS, value);
}

/** Why a request line was refused, with the id to answer to when the line had a usable one. */
export interface IpcRequestRejection {
  id: IpcId | null;
  code: IpcErrorCode;
  message: string;
}

function badRequest(id: IpcId | null, message: string): Result<never, IpcRequestRejection> {
  return err({ id, code: "bad_request", message });
}

/**
 * Validates an already parsed JSON value as a request (see {@link parseRequestLine}).
 * Also the type guard's engine: `validateRequest(v).ok` holds exactly for valid requests.
 */
export function validateRequest(value: unknown): Result<IpcRequest, IpcRequestRejection> {
  if (!isJsonObject(value)) {
    return badRequest(null, `request: expected a JSON object, got ${describeValue(value)}`);
  }
  const rawId = Object.hasOwn(value, "id") ? value.id : undefined;
  if (!isIpcId(rawId)) {
    return badRequest(null, `request.id: expected ${IPC_ID_EXPECTED}, got ${describeValue(rawId)}`);
  }
  const type = Object.hasOwn(value, "type") ? value.type : undefined;
  if (!isIpcRequestType(type)) {
    const what =
      typeof type === "string"
        ? `unknown type ${describeValue(type)}`
        : `got ${describeValue(type)}`;
    return badRequest(
      rawId,
      `request.type: ${what}, expected one of ${IPC_REQUEST_TYPES.join(", ")}`,
    );
  }
  const validated: Result<IpcRequest, string> = VALIDATORS[type](rawId, value);
  return validated.ok ? validated : badRequest(rawId, validated.error);
}

/** True when `value` is a valid request of any type. */
export function isIpcRequest(value: unknown): value is IpcRequest {
  return validateRequest(value).ok;
}

/**
 * Parses one line from the socket into a request.
 *
 * Refusals carry the protocol error code: `bad_json` (id `null`) when the line is not JSON;
 * `bad_request` when it is not an object, has a missing or bad `id`, an unknown `type`, or a
 * missing, invalid or unknown field. The message names the field and what was expected, e.g.
 * `trigger-workflow.maxRounds: expected a positive integer, got -3`, and the rejection keeps
 * the request's id whenever the object had a usable one, so the answer can echo it.
 * Nothing here recurses into the request, so deeply nested payloads cannot exhaust the stack.
 */
export function parseRequestLine(line: string): Result<IpcRequest, IpcRequestRejection> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err({ id: null, code: "bad_json", message: `request is not valid JSON: ${reason}` });
  }
  return validateRequest(value);
}
