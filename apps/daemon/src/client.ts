// `@nerve/daemon/client`: the socket client alone, for the CLI — it loads nothing of the engine.
export * from "./ipc/client.js";
export { readPidFile, isProcessAlive, pidFilePath, PID_FILE } from "./kernel/pid-file.js";
export {
  DASHBOARD_TOKEN_FILE,
  dashboardTokenPath,
  readDashboardToken,
} from "./dashboard/dashboard-token.js";
