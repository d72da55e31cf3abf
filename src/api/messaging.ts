// Who hears a taken message (staff contacts) and the messages themselves, registered together under /api.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { messageRoutes } from './messages.js';
import { staffContactRoutes } from './staff-contacts.js';

export async function messagingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(staffContactRoutes, deps);
  await app.register(messageRoutes, deps);
}
