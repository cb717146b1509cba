// Ignores ctx.signal: only killing its worker ends it.
export function compute() {
  return new Promise(() => undefined);
}
