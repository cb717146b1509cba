// `@nerve/daemon/sdk`: how user code finds the SDK and its packages, for the CLI (`nerve init`,
// `nerve validate`, `nerve doctor`) without loading the engine.
export {
  SDK_PACKAGES,
  SDK_TYPE_PACKAGES,
  isSdkSpecifier,
  resolveSdkSpecifier,
  sdkPackageDir,
  sdkVersion,
} from "./sdk/sdk-packages.js";
export { checkImports, type ImportCheckEntry, type ImportProblem } from "./sdk/import-check.js";
export {
  EDITOR_CONFIG_FILE,
  editorConfig,
  sdkTypePaths,
  writeEditorConfig,
} from "./sdk/editor-config.js";
