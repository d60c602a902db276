// Key rotation for restream stream keys: rewrites every value not under the current key of the ring
// (OUTPUT_ENCRYPTION_KEYS' first entry). Each row is updated only if it still holds the ciphertext
// that was read, so a key changed through the API meanwhile is never overwritten with an old one.
import type { Db } from '../db/client.js';
import { DecryptError, reseal, type KeyRing } from './crypto.js';

export interface ReencryptResult {
  rewritten: number;
  /** Rows whose key is not in the ring or does not decrypt (left as they are). */
  unreadable: { id: string; kid: string; reason: string }[];
}

export async function reencryptOutputs(db: Db, ring: KeyRing, batch = 200): Promise<ReencryptResult> {
  const out: ReencryptResult = { rewritten: 0, unreadable: [] };
  const skipped = new Set<string>();
  for (;;) {
    const rows = await db.streamOutput.findMany({
      where: { streamKeyKid: { not: ring.currentKid }, id: { notIn: [...skipped] } },
      select: { id: true, streamKeyKid: true, streamKeyCipher: true },
      take: batch,
    });
    if (rows.length === 0) return out;
    for (const r of rows) {
      try {
        const sealed = reseal(ring, r.id, { kid: r.streamKeyKid, ciphertext: r.streamKeyCipher })!;
        const res = await db.streamOutput.updateMany({
          where: { id: r.id, streamKeyCipher: r.streamKeyCipher },
          data: { streamKeyCipher: sealed.ciphertext, streamKeyKid: sealed.kid },
        });
        out.rewritten += res.count;
      } catch (err) {
        skipped.add(r.id);
        out.unreadable.push({ id: r.id, kid: r.streamKeyKid, reason: err instanceof DecryptError ? err.reason : 'error' });
      }
    }
  }
}
