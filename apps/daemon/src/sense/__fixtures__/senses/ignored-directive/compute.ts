export function compute() {
  return { workflow: "cleanup|zero|x", disk: "/var" };
}
