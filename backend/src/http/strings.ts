// The one building block for strings in request schemas. PostgreSQL refuses U+0000 in text
// (error 22021, which surfaced as a 500), and control characters in names, e-mails and URLs only
// serve to spoof logs and dashboards. Every request string is built from `text()` (or gets
// `noControl()`); test/hostile/control-chars.test.ts walks the OpenAPI document and sends NUL in
// every string field of every operation, so a schema that forgets it fails there.
import { z } from 'zod';

/** No C0 control character (U+0000–U+001F) and no DEL. */
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;
/** The same, but tab, line feed and carriage return are allowed (descriptions, passwords). */
export const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

const SINGLE_LINE_MESSAGE = 'Must not contain NUL, line breaks or other control characters';
const MULTI_LINE_MESSAGE = 'Must not contain NUL or control characters (tab and line breaks are allowed)';

type Refinable<T> = { refine(check: (s: string) => boolean, message: string): T };

/**
 * Adds the control-character check to a string schema of another kind (z.email(), z.url(), …).
 * A refinement rather than a pattern, so the OpenAPI document keeps the schema's `format`.
 * (z.url() trims surrounding whitespace before later checks see the value; what is stored is trimmed.)
 */
export function noControl<T extends Refinable<T>>(schema: T, opts: { multiline?: boolean } = {}): T {
  const re = opts.multiline ? MULTI_LINE : SINGLE_LINE;
  return schema.refine((s) => re.test(s), opts.multiline ? MULTI_LINE_MESSAGE : SINGLE_LINE_MESSAGE);
}

/** A request string: refuses NUL and control characters (`multiline` allows tab, LF and CR); shown as a `pattern` in OpenAPI. */
export function text(opts: { multiline?: boolean; error?: string } = {}): z.ZodString {
  const s = opts.error ? z.string({ error: opts.error }) : z.string();
  return opts.multiline ? s.regex(MULTI_LINE, MULTI_LINE_MESSAGE) : s.regex(SINGLE_LINE, SINGLE_LINE_MESSAGE);
}
