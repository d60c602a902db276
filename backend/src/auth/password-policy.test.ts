import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

const EMAIL = 'Ada.Lovelace@Example.test';

describe('password policy', () => {
  it('refuses common and guessable passwords with a helpful message', async () => {
    for (const pw of ['12345678', 'password', 'password1', 'password123', 'Passw0rd!', 'qwertyuiop', 'iloveyou', 'letmein123', 'p@ssw0rd', 'aaaaaaaaaaaa', 'abcdefgh', '11111111111']) {
      const problem = await passwordProblem(pw, EMAIL);
      expect(problem, pw).toMatch(/too easy to guess/);
      expect(problem, pw).toMatch(/unrelated words/);
    }
  });

  it('refuses the email, its name part, and either with a few characters added', async () => {
    for (const pw of ['ada.lovelace@example.test', 'Ada.Lovelace@Example.test', 'ada.lovelace', 'ADA.LOVELACE', 'ada.lovelace2026', 'ada.lovelace@example.test!!', '!ada.lovelace!']) {
      expect(await passwordProblem(pw, EMAIL), pw).toMatch(/email address/);
    }
  });

  it('accepts strong passwords, including ones that share a short part with the email', async () => {
    for (const pw of ['!!!!!!!! correct horse', 'correct horse battery', 'long enough pw', 'Tr0ub4dor&3 staple', 'ada rides purple bicycles', 'vL7#qz9!Rm2x']) {
      expect(await passwordProblem(pw, EMAIL), pw).toBeNull();
    }
    // the full 200 characters the schema allows (only the first 64 are estimated)
    expect(await passwordProblem('4@$$w0rd|!1l33t$p34k'.repeat(10), EMAIL)).toBeNull();
  });
});
