import { ApiError } from '../../api';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/**
 * Splits an API failure into messages next to known fields (from `details[].path`) and one
 * form-level message for everything else.
 */
export function splitApiError<K extends string>(
  error: unknown,
  fields: readonly K[],
): { fieldErrors: FieldErrors<K>; formError: string | null } {
  if (!(error instanceof ApiError)) {
    return { fieldErrors: {}, formError: error instanceof Error ? error.message : 'Something went wrong.' };
  }
  const fieldErrors: FieldErrors<K> = {};
  const unmatched: string[] = [];
  for (const d of error.details) {
    const top = d.path.split('.')[0] as K;
    if (fields.includes(top) && !fieldErrors[top]) fieldErrors[top] = d.message;
    else unmatched.push(d.path ? `${d.path}: ${d.message}` : d.message);
  }
  const hasField = Object.keys(fieldErrors).length > 0;
  const formError = unmatched.length > 0 ? unmatched.join('; ') : hasField ? null : error.message;
  return { fieldErrors, formError };
}
