// Paths and files shared by the deployment tests.
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** KEY=VALUE lines of an env file (compose's .env format: # comments, no export, optional quotes). */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`.env line is not KEY=VALUE: ${line}`);
    let value = m[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (out.has(m[1]!)) throw new Error(`.env sets ${m[1]} twice`);
    out.set(m[1]!, value);
  }
  return out;
}

export function readEnvExample(): Map<string, string> {
  return parseEnvFile(fs.readFileSync(path.join(repoRoot, '.env.example'), 'utf8'));
}

export function readText(rel: string): string {
  return fs.readFileSync(path.join(repoRoot, rel), 'utf8');
}

/**
 * Env var names a service's config module declares: the UPPER_CASE keys of its zod object
 * (`  NAME: z…`). Reading the source text keeps these tests free of the services' runtime deps.
 */
export function configKeys(rel: string): string[] {
  const text = readText(rel);
  return [...new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*:/gm)].map((m) => m[1]!))];
}
