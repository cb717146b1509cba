let calls = 0;

export function compute() {
  calls += 1;
  if (calls === 1) throw new TypeError("the sensor is unplugged");
  return { calls };
}
