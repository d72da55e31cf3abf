// HERMES's OpenAPI document without a server: builds the app on an in-memory SQLite database (no migrations needed,
// nothing listens) and asks @fastify/swagger for the document the /docs page serves.
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { silentLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { OpenApiDocument } from './openapi-types.js';

export async function openApiDocument(): Promise<OpenApiDocument> {
  const config = loadConfig({}, { databaseUrl: 'sqlite://:memory:', logLevel: 'silent' });
  const db = createDb(config.databaseUrl);
  const app = await buildApp({ config, log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), db });
  try {
    await app.ready();
    return app.swagger() as OpenApiDocument;
  } finally {
    await app.close();
    await db.destroy();
  }
}
