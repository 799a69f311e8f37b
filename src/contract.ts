/**
 * JSON shapes of the public contract (HTTP bodies, `--json` output), declared once and shared by the
 * library, the server, the CLI and the dashboard. Field names are snake_case as in the original API.
 */

export interface GitJson {
  commit: string | null;
  branch: string | null;
  dirty: boolean | null;
}

export interface RunSummaryJson {
  run_id: string;
  run_dir_name: string | null;
  created_at: string;
  finished_at: string | null;
  status: 'running' | 'success' | 'failed';
  kind: string;
  note: string | null;
  git: GitJson;
  /** Latest value of each metric; present when metrics were asked for. */
  metrics?: Record<string, number>;
}

export interface RunsPageJson {
  items: RunSummaryJson[];
  limit: number;
  offset: number;
  /** Items on this page (the original's meaning). */
  count: number;
  /** Runs matching the filters, when asked for. */
  total?: number;
}

export interface RunPointerJson {
  run_id: string;
  run_dir_name: string;
  manifest_path: string;
  created_at: string;
}

export interface ArtifactJson {
  kind: string;
  path: string;
  size: number | null;
  sha256: string | null;
  created_at: string;
  exists: boolean;
}

export interface RunDetailJson extends Omit<RunSummaryJson, 'metrics'> {
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  artifacts: ArtifactJson[];
  /** The run's `_by_id` pointer, as the original returned it; `null` when there is none. */
  manifest: RunPointerJson | null;
  /** Where the run's `manifest.json` is, and its content. */
  manifest_path: string | null;
  manifest_data: Record<string, unknown> | null;
  /** Problems met while reading the run's files (a corrupt pointer, say); the rest is still served. */
  warnings: string[];
}

export interface MetricPointJson {
  step: number | null;
  value: number;
  timestamp: number;
}

export interface MetricHistoryJson {
  run_id: string;
  metrics: Record<string, MetricPointJson[]>;
}

export interface ErrorBodyJson {
  ok: false;
  error: { code: string; message: string; hint?: string; details?: unknown };
  request_id: string;
  /** FEATURE_SIZE_MISMATCH only: the FastAPI-style shape older clients parse. */
  detail?: { error: 'feature_size_mismatch'; expected_n_features: number; got_n_features: number };
}

/** `GET /model`: the original's row (`metrics_json` is a JSON string), plus the registry's own fields. */
export interface CurrentModelJson {
  name: string;
  stage: 'current';
  run_id: string | null;
  /** The canonical copy being served (`BALANCEOPS_CURRENT_MODEL`). */
  path: string;
  /** When it was promoted. */
  created_at: string;
  metrics_json: string;
  metrics: Record<string, number>;
  version: number;
  model_type: string;
  candidate_path: string;
  sha256: string;
}

export interface ModelVersionJson {
  name: string;
  version: number;
  run_id: string | null;
  model_type: string;
  path: string;
  sha256: string;
  metrics: Record<string, number>;
  created_at: string;
  current: boolean;
}

export interface RegistryEventJson {
  id: number;
  name: string;
  action: 'promote' | 'rollback' | 'decline';
  from_version: number | null;
  to_version: number | null;
  run_id: string | null;
  reason: string;
  actor: string;
  created_at: string;
}

export interface PromotionJson {
  name: string;
  promoted: boolean;
  reason: string;
  version: ModelVersionJson;
  event: RegistryEventJson | null;
  current_path: string;
}

/** What training commands print with `--json`. */
export interface TrainResultJson {
  run_id: string;
  candidate_path: string;
  manifest_path: string;
  metrics: Record<string, number>;
  promoted: boolean;
  reason: string;
  model_version: number;
}

/** `GET /version`: build identity and what the served model expects. */
export interface VersionJson {
  service: 'balanceops-api';
  package: { name: string; version: string };
  git: GitJson;
  runtime: Record<string, string>;
  expected_n_features: number | null;
  model_type: string | null;
  feature_names: string[] | null;
  record_columns: string[] | null;
  model: { name: string; version: number; run_id: string | null; path: string; loaded_at: string } | null;
  /** Why no model (or not the newest one) is being served. */
  model_error?: string;
}

/** `GET /meta`: what the dashboard builds its filters and header from. */
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
