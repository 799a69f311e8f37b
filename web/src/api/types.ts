/**
 * The JSON the dashboard reads. Shapes of the public contract come from src/contract.ts (one declaration
 * for server, CLI and UI); the few endpoint bodies it does not declare yet are described here.
 */
export type {
  ArtifactJson,
  CurrentModelJson,
  ErrorBodyJson,
  GitJson,
  MetricHistoryJson,
  MetricPointJson,
  ModelVersionJson,
  PromotionJson,
  RegistryEventJson,
  RunDetailJson,
  RunSummaryJson,
  RunsPageJson,
} from '../../../src/contract';

import type { CurrentModelJson, GitJson, ModelVersionJson, RegistryEventJson } from '../../../src/contract';

/** `GET /meta`. */
export interface MetaJson {
  metric_keys: string[];
  run_kinds: string[];
  model_names: string[];
  settings: {
    db: string;
    artifacts_dir: string;
    current_model_path: string;
    token_required: boolean;
    max_download_bytes: number;
  };
}

/** `GET /version`. */
export interface VersionJson {
  service: string;
  package: { name: string; version: string };
  git: GitJson;
  runtime: Record<string, string>;
  expected_n_features: number | null;
  model_type: string | null;
  model: { name: string; version: number; run_id: string | null; path: string; loaded_at: string } | null;
  model_error?: string;
}

/** `GET /model`: the current model, or `{}` when none has been promoted. */
export type CurrentModelBody = CurrentModelJson | Record<string, never>;

/** `GET /models`. */
export interface ModelsJson {
  name: string;
  current: CurrentModelJson | null;
  versions: ModelVersionJson[];
}

/** `GET /models/history`. */
export interface HistoryJson {
  name: string;
  events: RegistryEventJson[];
}
