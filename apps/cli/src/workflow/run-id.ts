/** Characters a run id prefix needs before it is looked up as a prefix (and shown in tables). */
export const MIN_RUN_ID_PREFIX = 8;
