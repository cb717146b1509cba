export function compute() {
  process.exit(3);
}
