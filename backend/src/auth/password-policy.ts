// Which new passwords are refused (sign-up, password change): pure, no I/O.
//
// As NIST SP 800-63B asks: no composition rules, but no password that is common, guessable or
// built from the account's own email. zxcvbn-ts (dictionaries of common passwords, names and
// words, keyboard patterns, dates, repeats, l33t) estimates how many guesses a password takes;
// below score 3 (about 10^8 guesses) it is refused. The zod schema keeps 8..200 characters.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const MIN_SCORE = 3;

// Estimating costs CPU on the event loop and grows steeply with length and l33t substitutions
// (200 characters with the defaults: seconds). Only the first 64 characters are estimated (a longer
// password is at least as strong as its first 64), and at most 4 l33t substitutions are tried: ~45-145 ms
// per check measured on the 2-core test machine under load; see docs/reliability.md.
let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    maxLength: 64,
    l33tMaxSubstitutions: 4,
  }));

/** Why `password` may not be used by the account with `email`; null when it is fine. */
export async function passwordProblem(password: string, email: string): Promise<string | null> {
  const pw = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  let rest = pw.split(address).join('');
  if (local.length >= 3) rest = rest.split(local).join('');
  // Built from the email: what is left once the address and its name part are taken out is short.
  if (rest !== pw && rest.replace(/[^\p{L}\p{N}]/gu, '').length < 6) {
    return 'Do not use your email address (or its name part) as your password, even with a few characters added. A few unrelated words make a strong password.';
  }
  const r = await zxcvbn().check(password, [address, local]);
  if (r.score >= MIN_SCORE) return null;
  const hints = [r.feedback.warning, ...r.feedback.suggestions].filter((s): s is string => !!s);
  return `This password is too easy to guess${hints.length ? `: ${hints.join(' ')}` : '.'} A few unrelated words make a strong password.`;
}
