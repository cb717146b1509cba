export * from "./errors/ipc.error.js";
export * from "./errors/line-too-long.error.js";
export {
  IPC_ID_EXPECTED,
  isIpcId,
  MAX_IPC_ID_LENGTH,
  type IpcId,
  type JsonObject,
} from "./fields.js";
export * from "./framing.js";
export * from "./message-types/health.js";
export * from "./message-types/list-senses.js";
export * from "./message-types/shutdown.js";
export * from "./message-types/trigger-sense.js";
export * from "./message-types/trigger-workflow.js";
export * from "./request.js";
export * from "./response.js";
export * from "./socket-path.js";
