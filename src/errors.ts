/**
 * The one catalogue of errors BalanceOps can raise. The library throws by code, the HTTP server turns a
 * code into its status and envelope, the CLI into one `[ERR] ...` line. Nothing else invents error shapes.
 *
 * @example
 *   throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`);
 */
export const ERROR_CATALOGUE = {
  // HTTP contract codes
  VALIDATION_ERROR: { status: 422, message: 'Invalid request.' },
  RUN_NOT_FOUND: { status: 404, message: 'Run not found.' },
  NO_CURRENT_MODEL: { status: 404, message: 'No current model promoted yet.' },
  FEATURE_SIZE_MISMATCH: { status: 400, message: 'Feature vector has the wrong length.' },
  CURRENT_MODEL_LOAD_FAILED: { status: 500, message: 'Failed to load current model.' },
  INTERNAL_ERROR: { status: 500, message: 'Unexpected server error.' },
  // HTTP transport codes (beyond the original contract)
  NOT_FOUND: { status: 404, message: 'Route not found.' },
  BAD_REQUEST: { status: 400, message: 'Malformed request.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large.' },
  URI_TOO_LONG: { status: 414, message: 'Request path is too long.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type.' },
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid bearer token.' },
  FORBIDDEN: { status: 403, message: 'Not allowed from this client.' },
  ARTIFACT_NOT_FOUND: { status: 404, message: 'Artifact not found.' },
  ARTIFACT_TOO_LARGE: { status: 413, message: 'Artifact is too large to download.' },
  // library / CLI codes
  CONFIG_INVALID: { status: 500, message: 'Invalid configuration.' },
  STORE_OPEN_FAILED: { status: 500, message: 'Could not open the tracking database.' },
  STORE_SCHEMA_TOO_NEW: { status: 500, message: 'The database was written by a newer BalanceOps.' },
  POINTER_INVALID: { status: 500, message: 'A run pointer file is corrupt.' },
  RUN_NOT_ACTIVE: { status: 409, message: 'The run is already finished.' },
  MODEL_INVALID: { status: 422, message: 'The model file is not a valid BalanceOps model.' },
  MODEL_NOT_FOUND: { status: 404, message: 'Model version not found.' },
  NO_MODEL_ARTIFACT: { status: 422, message: 'The run has no model artifact.' },
  NO_PREVIOUS_MODEL: { status: 409, message: 'There is no earlier model to roll back to.' },
  POLICY_INVALID: { status: 422, message: 'The promotion policy is invalid.' },
  DATASET_INVALID: { status: 422, message: 'The dataset is invalid.' },
  SERVER_START_FAILED: { status: 500, message: 'The server could not start.' },
  SMOKE_FAILED: { status: 500, message: 'Smoke check failed.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorOptions {
  hint?: string;
  details?: unknown;
  cause?: unknown;
}

export class BalanceOpsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, options: ErrorOptions = {}) {
    super(
      message ?? ERROR_CATALOGUE[code].message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'BalanceOpsError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isBalanceOpsError(err: unknown, code?: ErrorCode): err is BalanceOpsError {
  return err instanceof BalanceOpsError && (code === undefined || err.code === code);
}

/** A short, single-line description of any thrown value, for messages that wrap a lower-level failure. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
