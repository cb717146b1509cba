export function compute() {
  return { bytes: 10n };
}
