/**
 * `@nerve/testing`: test senses and workflows like code. {@link createTestWorkspace} runs the
 * real engine on a temp copy of a workspace, on a virtual clock the test moves. No test-runner
 * globals: it works under Vitest (`nerve test`), Jest and node:test.
 *
 * @packageDocumentation
 */
export {
  TestWorkspace,
  createTestWorkspace,
  type RecordedSignal,
  type TestWorkspaceOptions,
} from "./test-workspace.js";
export { copyWorkspace, type WorkspaceSource } from "./workspace-files.js";
export { VirtualClock, VirtualTimeoutHost } from "./virtual-clock.js";
export { InvalidTestWorkspaceError } from "./errors.js";
