// The dependencies buildApp() hands to every feature plugin. A file of its own so src/app.ts (which registers the
// plugins) and the plugins (which read these) both import it, and neither imports the other.
import type { CallRuntime } from './call/runtime.js';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { StartupTasks } from './observability/startup.js';

/** What every feature plugin may use. Features add their own services to AppServices, built in src/services.ts. */
export interface AppDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  /** Phone calls (Twilio webhooks and media streams); built by src/services.ts. Absent: no /twilio routes. */
  callRuntime?: CallRuntime;
  /** Work `serve` finishes after listening; /ready answers 503 naming it until it has settled. Absent: nothing waits. */
  startup?: StartupTasks;
}
