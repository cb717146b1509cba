export function compute() {
  const node: Record<string, unknown> = { name: "loop" };
  node.self = node;
  return node;
}
