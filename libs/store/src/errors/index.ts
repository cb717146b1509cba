export * from "./store.error.js";
export * from "./log.error.js";
export * from "./run.error.js";
export * from "./archive.error.js";
export * from "./blob.error.js";
export * from "./sense-db.error.js";
export * from "./outbox.error.js";
