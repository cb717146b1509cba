// Returns a thenable that is not a Promise: settled like one, as `await` would.
let calls = 0;

export function compute() {
  calls += 1;
  const call = calls;
  return {
    then(resolve: (value: unknown) => void, reject: (error: unknown) => void) {
      setTimeout(
        () => (call === 2 ? reject(new RangeError("not this time")) : resolve({ call })),
        1,
      );
    },
  };
}
