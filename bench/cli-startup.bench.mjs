// Cold start of `nerve validate` on the example workspace beside `node -e 0`, measured in turns.
import { fileURLToPath } from "node:url";
import { timeCommands } from "./lib/measure.mjs";

const cli = fileURLToPath(new URL("../apps/cli/dist/main.js", import.meta.url));
const example = fileURLToPath(new URL("../examples/quickstart", import.meta.url));

export const figures = ["cli.validate.ms"];

export default function bench({ quick }) {
  const runs = quick ? 3 : 20;
  const [node, validate] = timeCommands(
    [
      [process.execPath, "-e", "0"],
      [process.execPath, cli, "validate", "--root", example],
    ],
    runs,
  );
  return [
    {
      name: "cli.validate.ms",
      value: validate,
      unit: "ms",
      baseline: "node -e 0",
      baselineValue: node,
      ratio: validate / node,
      target: null,
      pass: null,
    },
  ];
}
