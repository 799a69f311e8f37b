/**
 * The JSON the dashboard reads: every shape comes from src/contract.ts, declared once for the server, the
 * CLI and the UI.
 */
export type {
  ArtifactJson,
  CurrentModelJson,
  ErrorBodyJson,
  GitJson,
  HistoryJson,
  MetaJson,
  MetricHistoryJson,
  MetricPointJson,
  ModelsJson,
  ModelVersionJson,
  PromotionJson,
  RegistryEventJson,
  RunDetailJson,
  RunSummaryJson,
  RunsPageJson,
  VersionJson,
} from '../../../src/contract';

import type { CurrentModelJson } from '../../../src/contract';

/** `GET /model`: the current model, or `{}` when none has been promoted. */
export type CurrentModelBody = CurrentModelJson | Record<string, never>;
