import { describeError } from '../errors.js';

export const DEFAULT_SMOKE_FEATURES = [0.1, 0.2, -0.3, 1.0, 0.5, 0.0, -0.2, 0.9];

export interface SmokeOptions {
  baseUrl: string;
  timeoutSec?: number;
  retries?: number;
  retryDelaySec?: number;
  features?: number[];
  skipPredict?: boolean;
  /** Other predict failures become warnings (exit 0). */
  allowPredictFailure?: boolean;
  /** A 404 from /predict (no current model) fails instead of warning. */
  failOnPredict404?: boolean;
  healthPath?: string;
  predictPath?: string;
  /** Where progress lines go; stdout/stderr of the process by default. */
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export interface SmokeResult {
  ok: boolean;
  base_url: string;
  health: { status: number | null; body: unknown };
  expected_n_features: number | null;
  predict: { status: number | null; body: unknown; features_sent: number } | null;
  warnings: string[];
  error: string | null;
}

interface HttpResult {
  ok: boolean;
  status: number | null;
  body: unknown;
  error: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function request(url: string, timeoutSec: number, body?: unknown): Promise<HttpResult> {
  try {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSec * 1000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text.trim() === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    return { ok: res.ok, status: res.status, body: parsed, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return { ok: false, status: null, body: null, error: describeError(cause ?? err) };
  }
}

/** Resizes the feature list to `n` by cutting or repeating it, as the original smoke client did. */
export function resizeFeatures(base: readonly number[], n: number): number[] {
  if (n <= 0 || n === base.length) return [...base];
  if (n < base.length) return base.slice(0, n);
  const out: number[] = [];
  while (out.length < n) out.push(...base);
  return out.slice(0, n);
}

/** The expected feature count a FEATURE_SIZE_MISMATCH answer names, in the envelope or the legacy shape. */
export function expectedFromMismatch(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as {
    error?: { code?: string; details?: { expected_n_features?: unknown } };
    detail?: { error?: string; expected_n_features?: unknown };
  };
  const candidates = [
    b.error?.code === 'FEATURE_SIZE_MISMATCH' ? b.error.details?.expected_n_features : undefined,
    b.detail?.error === 'feature_size_mismatch' ? b.detail.expected_n_features : undefined,
  ];
  const n = candidates.find((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
  return typeof n === 'number' ? n : null;
}

function describe(res: HttpResult): string {
  const code = res.status === null ? 'no-status' : `HTTP ${res.status}`;
  const message =
    typeof res.body === 'object' && res.body !== null && 'error' in res.body
      ? ((res.body as { error?: { message?: string } }).error?.message ?? res.error)
      : res.error;
  return `${code}: ${message ?? 'request failed'}`;
}

/**
 * The HTTP smoke check of the original: GET /health, GET /version to learn `expected_n_features` and size
 * the features to it, POST /predict, once more with the right length after a FEATURE_SIZE_MISMATCH.
 * Connection failures and 5xx are retried with a delay; 4xx are not. A 404 from /predict (no current
 * model) is only a warning unless `failOnPredict404`.
 *
 * @example
 *   const result = await smoke({ baseUrl: 'http://127.0.0.1:8000', retries: 5 });
 *   process.exitCode = result.ok ? 0 : 1;
 */
export async function smoke(options: SmokeOptions): Promise<SmokeResult> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutSec = options.timeoutSec ?? 10;
  const retries = Math.max(0, options.retries ?? 0);
  const delayMs = Math.max(0, (options.retryDelaySec ?? 0.5) * 1000);
  const withSlash = (p: string) => (p.startsWith('/') ? p : `/${p}`);
  const healthPath = withSlash(options.healthPath ?? '/health');
  const predictPath = withSlash(options.predictPath ?? '/predict');
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    (options.warn ?? ((l: string) => process.stderr.write(`${l}\n`)))(`[smoke] WARN ${line}`);
  };
  const result: SmokeResult = {
    ok: false,
    base_url: base,
    health: { status: null, body: null },
    expected_n_features: null,
    predict: null,
    warnings,
    error: null,
  };
  const fail = (message: string) => {
    result.error = message;
    (options.warn ?? ((l: string) => process.stderr.write(`${l}\n`)))(`[smoke] ${message}`);
    return result;
  };

  const withRetry = async (name: string, attempts: number, call: () => Promise<HttpResult>) => {
    for (let attempt = 1; ; attempt++) {
      const res = await call();
      const retryable = res.status === null || res.status >= 500;
      if (res.ok || !retryable || attempt >= attempts) return res;
      warn(`${name} attempt ${attempt}/${attempts} failed (${describe(res)}); retry in ${delayMs / 1000}s`);
      await sleep(delayMs);
    }
  };

  log(`[smoke] base_url: ${base}`);
  log(`[smoke] timeout_sec: ${timeoutSec}, retries: ${retries}, retry_delay_sec: ${delayMs / 1000}`);

  const health = await withRetry(`GET ${healthPath}`, retries + 1, () =>
    request(`${base}${healthPath}`, timeoutSec),
  );
  result.health = { status: health.status, body: health.body };
  if (!health.ok) return fail(`${healthPath} FAILED (${describe(health)})`);
  log(`[smoke] ${healthPath} OK (HTTP ${health.status}): ${JSON.stringify(health.body)}`);

  if (options.skipPredict) {
    log('[smoke] skip predict.');
    log('[smoke] done.');
    result.ok = true;
    return result;
  }

  const baseFeatures = options.features ?? DEFAULT_SMOKE_FEATURES;
  let features = [...baseFeatures];
  const version = await withRetry('GET /version', Math.min(2, retries) + 1, () =>
    request(`${base}/version`, timeoutSec),
  );
  const expected = (version.body as { expected_n_features?: unknown } | null)?.expected_n_features;
  if (version.ok && typeof expected === 'number' && Number.isInteger(expected) && expected > 0) {
    result.expected_n_features = expected;
    features = resizeFeatures(baseFeatures, expected);
    log(`[smoke] expected_n_features(from /version): ${expected} -> using ${features.length}`);
  }

  const post = (x: number[]) =>
    withRetry(`POST ${predictPath}`, retries + 1, () =>
      request(`${base}${predictPath}`, timeoutSec, { features: x }),
    );
  let predict = await post(features);
  if (predict.status === 400) {
    const n = expectedFromMismatch(predict.body);
    if (n !== null) {
      const resized = resizeFeatures(baseFeatures, n);
      warn(
        `feature mismatch -> retry with expected_n_features=${n} (len ${features.length} -> ${resized.length})`,
      );
      features = resized;
      predict = await post(features);
    }
  }
  result.predict = { status: predict.status, body: predict.body, features_sent: features.length };

  if (predict.ok) {
    log(`[smoke] ${predictPath} OK (HTTP ${predict.status}): ${JSON.stringify(predict.body)}`);
    log('[smoke] done.');
    result.ok = true;
    return result;
  }
  if (predict.status === 404) {
    const message = `${predictPath} returned 404 (current model missing?)`;
    if (options.failOnPredict404) return fail(message);
    warn(message);
    result.ok = true;
    return result;
  }
  const message = `${predictPath} FAILED (${describe(predict)})`;
  if (options.allowPredictFailure) {
    warn(message);
    result.ok = true;
    return result;
  }
  return fail(message);
}
