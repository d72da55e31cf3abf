// The staff app's typed client cannot drift from the API: the committed web/src/api/schema.ts must be exactly what
// the generator makes from today's OpenAPI document (run `npm run gen:api` after changing a route).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/web/openapi-document.js';
import { openApiToTypes, schemaType } from '../../src/web/openapi-types.js';

describe('generated API types', () => {
  it('match the OpenAPI document of the current routes (npm run gen:api regenerates them)', async () => {
    const committed = readFileSync(new URL('../../web/src/api/schema.ts', import.meta.url), 'utf8');
    const fresh = openApiToTypes(await openApiDocument());
    expect(committed === fresh, 'web/src/api/schema.ts is stale: run `npm run gen:api` and commit it').toBe(true);
    expect(fresh).toContain('"/api/inbox": {');
    expect(fresh).toContain('"/api/intakes/{id}/review": {');
  });

  it('turns JSON Schema into TypeScript types', () => {
    expect(schemaType({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', nullable: true } }, required: ['a'] }))
      .toBe('{\n    a: number;\n    b?: string | null;\n}');
    expect(schemaType({ anyOf: [{ const: 'x' }, { const: 'y' }] })).toBe('"x" | "y"');
    expect(schemaType({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } })).toBe('(string | null)[]');
  });
});
