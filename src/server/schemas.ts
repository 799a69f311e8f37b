/**
 * JSON schemas of the HTTP API. Each drives request validation, response serialization and the OpenAPI
 * document at once; they mirror the types of src/contract.ts.
 */

export const MAX_BATCH_ROWS = 10_000;
export const MAX_FEATURES = 100_000;

const nullable = (type: string) => ({ type: [type, 'null'] });
const numberMap = { type: 'object', additionalProperties: { type: 'number' } } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

export const errorEnvelope = {
  $id: 'ErrorEnvelope',
  type: 'object',
  description: 'Every error: a stable code, a message, optional hint and details, and the request id.',
  properties: {
    ok: { type: 'boolean', const: false },
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        hint: { type: 'string' },
        details: {},
      },
      required: ['code', 'message'],
    },
    request_id: { type: 'string' },
  },
  required: ['ok', 'error', 'request_id'],
} as const;

const errorRef = { $ref: 'ErrorEnvelope#' } as const;

/** Response schemas for the error statuses a route can answer. */
export function errors(...statuses: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(statuses.map((s) => [s, errorRef]));
}

export const git = {
  type: 'object',
  properties: { commit: nullable('string'), branch: nullable('string'), dirty: nullable('boolean') },
} as const;

export const runSummary = {
  type: 'object',
  properties: {
    run_id: { type: 'string' },
    run_dir_name: nullable('string'),
    created_at: { type: 'string' },
    finished_at: nullable('string'),
    status: { type: 'string', enum: ['running', 'success', 'failed'] },
    kind: { type: 'string' },
    note: nullable('string'),
    git,
    metrics: numberMap,
  },
} as const;

export const runsQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
    offset: { type: 'integer', minimum: 0, default: 0 },
    include_metrics: { type: 'boolean', default: true },
    search: { type: 'string', maxLength: 200 },
    kind: { type: 'string', maxLength: 200 },
    status: { type: 'string', enum: ['running', 'success', 'failed'] },
    dirty: { type: 'boolean', description: 'true: runs from a dirty checkout only; false: clean ones only' },
    sort: {
      type: 'string',
      pattern: '^(created_at|kind|status|run_dir_name|note|branch|metric:.{1,250})$',
      default: 'created_at',
    },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    with_total: { type: 'boolean', default: false, description: 'also count every matching run' },
  },
  additionalProperties: false,
} as const;

export const runsPage = {
  type: 'object',
  properties: {
    items: { type: 'array', items: runSummary },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
    count: { type: 'integer' },
    total: { type: 'integer' },
  },
} as const;

export const runIdParams = {
  type: 'object',
  properties: { run_id: { type: 'string', maxLength: 200 } },
  required: ['run_id'],
} as const;

const pointer = {
  type: ['object', 'null'],
  properties: {
    run_id: { type: 'string' },
    run_dir_name: { type: 'string' },
    manifest_path: { type: 'string' },
    created_at: { type: 'string' },
  },
} as const;

export const runDetail = {
  type: 'object',
  properties: {
    ...runSummary.properties,
    params: anyObject,
    metrics: numberMap,
    artifacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          path: { type: 'string' },
          size: nullable('integer'),
          sha256: nullable('string'),
          created_at: { type: 'string' },
          exists: { type: 'boolean' },
        },
      },
    },
    manifest: pointer,
    manifest_path: nullable('string'),
    manifest_data: { type: ['object', 'null'], additionalProperties: true },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const metricHistory = {
  type: 'object',
  properties: {
    run_id: { type: 'string' },
    metrics: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          properties: { step: nullable('integer'), value: { type: 'number' }, timestamp: { type: 'number' } },
        },
      },
    },
  },
} as const;

const featureVector = { type: 'array', items: { type: 'number' }, maxItems: MAX_FEATURES } as const;
const rawRecord = {
  type: 'object',
  additionalProperties: { type: ['number', 'string', 'boolean', 'null'] },
  maxProperties: MAX_FEATURES,
} as const;

export const predictBody = {
  type: 'object',
  description:
    "Either `features` (the model's feature vector) or `record` (raw column values, tabular models).",
  properties: { features: featureVector, record: rawRecord },
} as const;

export const predictResponse = {
  type: 'object',
  properties: { p_win: { type: 'number', description: 'Probability of class 1.' } },
  required: ['p_win'],
} as const;

export const batchBody = {
  type: 'object',
  description: `Up to ${MAX_BATCH_ROWS} rows: \`instances\` (feature vectors) or \`records\` (raw column values).`,
  properties: {
    instances: { type: 'array', items: featureVector, minItems: 1, maxItems: MAX_BATCH_ROWS },
    records: { type: 'array', items: rawRecord, minItems: 1, maxItems: MAX_BATCH_ROWS },
  },
} as const;

export const batchResponse = {
  type: 'object',
  properties: { p_win: { type: 'array', items: { type: 'number' } } },
  required: ['p_win'],
} as const;

export const modelVersion = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    run_id: nullable('string'),
    model_type: { type: 'string' },
    path: { type: 'string' },
    sha256: { type: 'string' },
    metrics: numberMap,
    created_at: { type: 'string' },
    current: { type: 'boolean' },
  },
} as const;

export const currentModel = {
  type: 'object',
  description: 'The current model, or `{}` when none has been promoted.',
  properties: {
    name: { type: 'string' },
    stage: { type: 'string' },
    run_id: nullable('string'),
    path: { type: 'string' },
    created_at: { type: 'string' },
    metrics_json: { type: 'string' },
    metrics: numberMap,
    version: { type: 'integer' },
    model_type: { type: 'string' },
    candidate_path: { type: 'string' },
    sha256: { type: 'string' },
  },
} as const;

export const registryEvent = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    action: { type: 'string', enum: ['promote', 'rollback', 'decline'] },
    from_version: nullable('integer'),
    to_version: nullable('integer'),
    run_id: nullable('string'),
    reason: { type: 'string' },
    actor: { type: 'string' },
    created_at: { type: 'string' },
  },
} as const;

export const promotion = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    promoted: { type: 'boolean' },
    reason: { type: 'string' },
    version: modelVersion,
    event: { anyOf: [registryEvent, { type: 'null' }] },
    current_path: { type: 'string' },
  },
} as const;

export const modelNameQuery = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
  additionalProperties: false,
} as const;
