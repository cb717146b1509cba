export * from "./directive.js";
export * from "./route.js";
export * from "./payload.js";
export * from "./errors/payload.error.js";
