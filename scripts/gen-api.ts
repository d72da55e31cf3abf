// npm run gen:api: regenerates web/src/api/schema.ts (the staff app's typed client) from HERMES's OpenAPI document.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../src/web/openapi-document.js';
import { openApiToTypes } from '../src/web/openapi-types.js';

const target = fileURLToPath(new URL('../web/src/api/schema.ts', import.meta.url));
writeFileSync(target, openApiToTypes(await openApiDocument()));
console.log(`wrote ${target}`);
