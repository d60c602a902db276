// Finds a recording's media file on this machine.
import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * OME writes absolute paths as it sees them. The volume is mounted at the same path in both
 * containers, but when it is not (a different mount point), the file sits next to its info file.
 */
export async function locateRecording(filePath: string, infoPath: string): Promise<string | null> {
  const candidates = [filePath, path.join(path.dirname(infoPath), path.basename(filePath))];
  for (const c of candidates) {
    try {
      const s = await stat(c);
      if (s.isFile()) return c;
    } catch {
      // try the next place
    }
  }
  return null;
}
