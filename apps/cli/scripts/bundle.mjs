#!/usr/bin/env node
// Bundles the compiled CLI (apps/cli/dist, written by `tsc -b`) into one CommonJS file,
// dist/bundle/nerve.cjs, which dist/main.js starts with V8's code cache (src/launch/). Then runs
// it once so the cache exists before the first real command. Part of `npm run build`.
//
// Why from tsc's output and not from the sources: esbuild cannot emit decorator metadata, and
// Nest's constructor injection needs it.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import process from "node:process";
import { dirname } from "node:path";
import { URL, fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const entry = here("../dist/cli.js");
const outfile = here("../dist/bundle/nerve.cjs");
const launcher = here("../dist/main.js");

/**
 * Loaded at run time, never bundled: the native SQLite addon, and the engine (`nerve dev`,
 * `nerve sense run`, `nerve daemon start`, and the test kit `nerve replay` runs it on), whose
 * workers are files of their own, and the NATS
 * client, which only `nerve workflow list --cluster` loads.
 * `@nerve/daemon/client` (the socket client) is bundled.
 */
const EXTERNAL = [
  /^better-sqlite3$/,
  /^@nerve\/daemon$/,
  /^@nerve\/daemon\/(main|sense-run|sdk)$/,
  /^@nerve\/testing$/,
  /^@nats-io\/(transport-node|jetstream|kv)$/,
];

/**
 * Optional packages Nest and nest-commander load only for features the CLI does not use (HTTP
 * and websocket adapters, microservice transports other than the socket client, file-type
 * checks, Fig completion). In the bundle they are absent, as if not installed: requiring one
 * throws MODULE_NOT_FOUND, which those libraries expect of an optional package.
 */
const ABSENT = [
  /^@nestjs\/microservices$/,
  /^@nestjs\/microservices\/(microservices-module|nest-microservice|server|listeners-controller)/,
  /^@nestjs\/websockets(\/|$)/,
  /^@nestjs\/platform-express$/,
  /^@fig\/complete-commander$/,
  /^file-type$/,
  /^(kafkajs|ioredis|mqtt|amqplib|amqp-connection-manager)$/,
  /^@grpc\//,
];

/**
 * Packages nest-commander requires eagerly but the CLI never calls: interactive prompts
 * (inquirer; no command asks questions) and config-file plugins (cosmiconfig; `usePlugins` is
 * off). Replaced by stand-ins that say so if they are ever called.
 */
const UNUSED = {
  inquirer: `module.exports = { prompt() { throw new Error("interactive prompts are not part of the nerve CLI"); } };`,
  cosmiconfig: `module.exports = { cosmiconfig() { throw new Error("CLI plugins are not part of the nerve CLI"); } };`,
};

/**
 * rxjs in its ES module build rather than the CommonJS one Node's conditions pick: esbuild can
 * then keep only what Nest uses (20 KiB instead of 370) and skip copying the CommonJS exports
 * object into every module that imports it. Every importer of rxjs in the bundle is ES module
 * code, so there is one copy either way.
 */
const RXJS_CJS = createRequire(entry).resolve("rxjs");
const RXJS_ESM = {
  rxjs: RXJS_CJS.replace(/dist[\\/]cjs[\\/]index\.js$/, "dist/esm/index.js"),
  "rxjs/operators": RXJS_CJS.replace(/dist[\\/]cjs[\\/]index\.js$/, "dist/esm/operators/index.js"),
};

/**
 * @nestjs/common builds an Intl.DateTimeFormat when its logger modules load (~15 ms, the ICU
 * data), though the CLI runs with the logger off; in the bundle each is built on first use.
 */
const LOGGER_FILE = /@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/;
const EAGER_FORMATTER = "const dateTimeFormatter = new Intl.DateTimeFormat(";
const LAZY_FORMATTER =
  "const dateTimeFormatter = ((locales, options) => { let formatter; " +
  "return { format: (date) => (formatter ??= new Intl.DateTimeFormat(locales, options)).format(date) }; })(";

const stubs = {
  name: "nerve-cli-stubs",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (EXTERNAL.some((re) => re.test(args.path))) return { path: args.path, external: true };
      if (ABSENT.some((re) => re.test(args.path))) {
        return { path: args.path, namespace: "absent" };
      }
      if (Object.hasOwn(UNUSED, args.path)) return { path: args.path, namespace: "unused" };
      if (Object.hasOwn(RXJS_ESM, args.path)) return { path: RXJS_ESM[args.path] };
      return undefined;
    });
    build.onLoad({ filter: LOGGER_FILE }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(EAGER_FORMATTER)) {
        return {
          contents: source,
          loader: "js",
          warnings: [{ text: `${args.path} changed: its date formatter stays eager` }],
        };
      }
      return { contents: source.replace(EAGER_FORMATTER, LAZY_FORMATTER), loader: "js" };
    });
    build.onLoad({ filter: /.*/, namespace: "absent" }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}' (left out of the nerve CLI bundle)`)}), { code: "MODULE_NOT_FOUND" });`,
      loader: "js",
    }));
    build.onLoad({ filter: /.*/, namespace: "unused" }, (args) => ({
      contents: UNUSED[args.path],
      loader: "js",
    }));
  },
};

const started = Date.now();
const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Nest and nest-commander look classes up by name: keep names, shorten everything else.
  // NERVE_BUNDLE_MINIFY=0 leaves the code readable, for profiling.
  minify: process.env.NERVE_BUNDLE_MINIFY !== "0",
  keepNames: true,
  legalComments: "linked",
  // The launcher reads the file as latin1: any other character is escaped.
  charset: "ascii",
  // `import.meta.url` has no CommonJS equivalent; the bundle gets its own file's URL, so paths
  // made relative to it (templates, packages) resolve from dist/bundle as from dist/<folder>.
  define: { "import.meta.url": "__nerve_bundle_url" },
  banner: { js: `const __nerve_bundle_url = require("node:url").pathToFileURL(__filename).href;` },
  // import() of the engine becomes require(): Node >= 20.19 loads ES modules that way, and a
  // dynamic import() inside code compiled from a V8 code cache loses its loader in Node 20.
  supported: { "dynamic-import": false },
  // tslib's "module" entry is plain ES module code (its Node entry wraps the CommonJS file).
  conditions: ["module"],
  plugins: [stubs],
  logLevel: "warning",
  // Written below, each file whole at once: a CLI starting meanwhile reads the old or the new.
  write: false,
});
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(`${file.path}.tmp`, file.contents);
  renameSync(`${file.path}.tmp`, file.path);
}

// Make the code cache now: run the bundle once through the launcher.
rmSync(`${outfile}.cache`, { force: true });
const warm = spawnSync(process.execPath, [launcher, "--help"], { stdio: "ignore" });
if (warm.status !== 0) {
  throw new Error(`the bundled CLI failed to start (nerve --help exited ${warm.status})`);
}
const kib = (file) => Math.round(statSync(file).size / 1024);
process.stdout.write(
  `bundled the CLI: ${outfile} (${kib(outfile)} KiB, code cache ${kib(`${outfile}.cache`)} KiB) in ${Date.now() - started} ms\n`,
);
