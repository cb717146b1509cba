export async function compute() {
  return { workflow: "cleanup|5|disk is full", disk: "/var" };
}
