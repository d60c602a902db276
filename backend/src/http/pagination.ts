// Cursor pagination shared by every list endpoint (pure: no express, no Prisma).
// Order is always newest first with the id as tiebreak, so a page boundary never splits or repeats
// rows that share a timestamp, and rows inserted while a client pages appear before its cursor
// (on a fresh first page), never as duplicates or gaps further down.
// The cursor is opaque to clients: base64url of `["<sort key as ISO time>","<id>"]`.
import { z } from 'zod';
import { text } from './strings.js';

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;

export interface CursorKey {
  at: Date;
  id: string;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

/** The key a cursor names, or null for anything this server did not hand out in that form. */
export function decodeCursor(cursor: string): CursorKey | null {
  if (cursor.length > 200 || !BASE64URL.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !ISO_MS.test(at) || !UUID.test(id)) return null;
  const date = new Date(at);
  // Rejects impossible dates (2026-02-31) that Date would silently roll over.
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) return null;
  // PostgreSQL has no year 0 (0000-… is refused with an error, which surfaced as a 500).
  if (date.getUTCFullYear() < 1) return null;
  return { at: date, id };
}

const limit = z
  .string()
  .regex(/^[0-9]{1,3}$/, `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`)
  .transform(Number)
  .refine((n) => n >= 1 && n <= PAGE_LIMIT_MAX, `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`)
  .optional()
  .transform((n) => n ?? PAGE_LIMIT_DEFAULT)
  .describe(`Items per page, 1–${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT})`);

const cursor = z
  .string()
  .transform((v, ctx) => {
    const key = decodeCursor(v);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: 'cursor is not valid: pass the nextCursor of the previous page unchanged' });
      return z.NEVER;
    }
    return key;
  })
  .optional()
  .describe('nextCursor of the previous page; omit for the first page');

/** `?limit=&cursor=` of every list. */
export const PageQuery = z.object({ limit, cursor });

/** `?q=`: case-insensitive substring of a name or title; empty means no filter. */
export const SearchParam = text()
  .max(100, 'q must be at most 100 characters')
  .transform((v) => v.trim() || undefined)
  .optional()
  .describe('Case-insensitive search in the name/title (substring)');

const NextCursor = z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page');

/** The envelope of every list: `{ <items key>: T[], nextCursor }`. */
export function pageResponse<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ [key]: z.array(item), nextCursor: NextCursor } as { [P in K]: z.ZodArray<T> } & { nextCursor: typeof NextCursor });
}

/**
 * Rows fetched with `take: limit + 1` in list order → the page and its next cursor.
 * The extra row only tells that there is more; the cursor names the last row shown.
 */
export function toPage<R extends { id: string }>(rows: R[], limit: number, sortKey: (r: R) => Date): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1]!;
  return { rows: shown, nextCursor: encodeCursor({ at: sortKey(last), id: last.id }) };
}

/**
 * Prisma `where` for "after this cursor" in (field desc, id desc) order:
 * field < at OR (field = at AND id < id). The `lte` bound lets the index range scan start at the
 * cursor instead of filtering every newer row.
 */
export function afterCursor<F extends string>(field: F, key: CursorKey | undefined) {
  if (!key) return {};
  return { [field]: { lte: key.at }, OR: [{ [field]: { lt: key.at } }, { id: { lt: key.id } }] } as Record<F, { lte: Date }> & {
    OR: [Record<F, { lt: Date }>, { id: { lt: string } }];
  };
}

/** Prisma `orderBy` matching afterCursor. */
export const newestFirst = <F extends string>(field: F) => [{ [field]: 'desc' } as Record<F, 'desc'>, { id: 'desc' as const }];

/** Prisma filter for `q`: LIKE wildcards in the user's text are literal. */
export function containsText(q: string) {
  return { contains: q.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' as const };
}
