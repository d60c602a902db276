// The dashboard's API types, generated from the backend's OpenAPI document (openapi-typescript):
// one contract from the zod schemas to the React pages.
//   npm run generate:api-types            rewrite frontend/src/api/openapi.gen.ts
//   npm run generate:api-types -- --check exit 1 (and say so) when the committed file is stale
// The output depends only on the route declarations and the locked openapi-typescript version:
// no database, no network, same bytes on every run.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { apiDocument } from '../http/api-document.js';

export const API_TYPES_FILE = path.resolve(import.meta.dirname, '../../../frontend/src/api/openapi.gen.ts');

const HEADER = `// GENERATED from the backend's OpenAPI document by \`npm run generate:api-types\` — do not edit.
// Source of truth: the zod schemas declared with the routes in backend/src/*/routes.ts.
// Readable names: frontend/src/api/types.ts.
`;

export async function renderApiTypes(document: unknown = apiDocument()): Promise<string> {
  // openapi-typescript may annotate the object it is given: hand it a copy.
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), { alphabetize: true, silent: true });
  return `${HEADER}\n${astToString(ast).trimEnd()}\n`;
}

async function main(args: string[]): Promise<number> {
  const rendered = await renderApiTypes();
  const relative = path.relative(process.cwd(), API_TYPES_FILE);
  if (args.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(API_TYPES_FILE, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (committed === rendered) return 0;
    console.error(`${relative} is not what the backend's OpenAPI document produces: run \`npm run generate:api-types\``);
    return 1;
  }
  writeFileSync(API_TYPES_FILE, rendered);
  console.log(`wrote ${relative}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
