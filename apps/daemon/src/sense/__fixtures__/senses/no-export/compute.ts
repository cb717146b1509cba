export const notCompute = 1;
