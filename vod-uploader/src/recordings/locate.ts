// Finds a recording's media file on this machine.
import { stat } from 'node:fs/promises';
import path from 'node:path';

export type FoundRecording =
  | { kind: 'file'; path: string }
  /** Something other than a regular file (a directory, a socket…) sits at the recording's path. */
  | { kind: 'not_a_file'; path: string }
  | { kind: 'missing' };

/**
 * OME writes absolute paths as it sees them. The volume is mounted at the same path in both
 * containers, but when it is not (a different mount point), the file sits next to its info file.
 */
export async function findRecording(filePath: string, infoPath: string): Promise<FoundRecording> {
  const candidates = [filePath, path.join(path.dirname(infoPath), path.basename(filePath))];
  let other: string | null = null;
  for (const c of candidates) {
    try {
      const s = await stat(c);
      if (s.isFile()) return { kind: 'file', path: c };
      other ??= c;
    } catch {
      // try the next place
    }
  }
  return other ? { kind: 'not_a_file', path: other } : { kind: 'missing' };
}
