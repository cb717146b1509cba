export function compute() {
  return { text: "x".repeat(2 * 1024 * 1024) };
}
