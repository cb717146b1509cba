/** The version of Nerve, reported by `health` and `nerve --version`. */
export const NERVE_VERSION = "0.1.0";
