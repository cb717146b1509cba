import { Injectable } from "@nestjs/common";
import { statfsSync } from "node:fs";

/** Free and total bytes of the file system holding a path. */
export interface DiskUsage {
  freeBytes: number;
  totalBytes: number;
}

/** The file system's free space, behind a provider so a test can make a disk look full. */
@Injectable()
export class DiskSpace {
  /** The usage of the file system of `path`, or null where it cannot be read. */
  usage(path: string): DiskUsage | null {
    try {
      const stats = statfsSync(path);
      return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
    } catch {
      return null;
    }
  }
}
