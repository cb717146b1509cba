/** `@nerve/store/blobs`: content-addressed blobs, light enough for worker processes. */
export { BlobStore } from "./blobs/blob-store.js";
export {
  BlobIntegrityError,
  BlobNotFoundError,
  InvalidBlobHashError,
} from "./errors/blob.error.js";
export { StoreError } from "./errors/store.error.js";
