import { double } from "./helper.js";

export function compute() {
  return { value: double(21) };
}
