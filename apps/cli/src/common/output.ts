/** Writes a value as JSON on stdout: the only thing a `--json` command prints there. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Colours only on a terminal, and never when NO_COLOR is set. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;
export type Color = keyof typeof codes;

export function paint(text: string, color: Color, stream?: NodeJS.WriteStream): string {
  return useColor(stream) ? `\u001b[${codes[color]}m${text}\u001b[0m` : text;
}

/** The width to lay text out in: the terminal's, or 100 columns when not on a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns > 0 ? stream.columns : 100;
}
