import type { Settings } from '../config.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/types.js';
import type { RunReader } from '../tracking/readers.js';
import type { ServerMetrics } from './metrics.js';
import type { ModelCache } from './model-cache.js';

/** What the route plugins are built from; resolved once when the app is built. */
export interface ServerDeps {
  settings: Settings;
  store: Store;
  reader: RunReader;
  registry: ModelRegistry;
  cache: ModelCache;
  metrics: ServerMetrics;
  modelName: string;
}
