export function compute() {
  void Promise.reject(new Error("nobody awaited this"));
  return new Promise(() => undefined);
}
