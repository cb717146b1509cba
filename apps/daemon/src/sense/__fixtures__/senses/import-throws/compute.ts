throw new Error("cannot read the config of this sense");

export function compute() {
  return 1;
}
