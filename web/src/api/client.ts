import type { ErrorBodyJson } from './types';

/** Why a call to the API failed: no answer at all, an error envelope, or a body that is not JSON. */
export type ApiFailure = 'unreachable' | 'http' | 'invalid';

/** A failed API call, with a message that names the cause and where the API was expected. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly failure: ApiFailure,
    readonly status: number | null = null,
    readonly code: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API is served on the dashboard's own origin. */
export const API_ORIGIN = window.location.origin;

function isEnvelope(body: unknown): body is ErrorBodyJson {
  const error = (body as { error?: unknown } | null)?.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    // Browsers hide the network cause; a refused connection and a stopped server look the same here.
    throw new ApiError(
      `API unreachable at ${API_ORIGIN}: no response (connection refused, server stopped or network down)`,
      'unreachable',
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(
      `API at ${API_ORIGIN} answered ${path} with HTTP ${response.status} and a body that is not JSON`,
      'invalid',
      response.status,
    );
  }
  if (!response.ok) {
    if (isEnvelope(body)) {
      const { code, message, hint } = body.error;
      throw new ApiError(
        `HTTP ${response.status} ${code}: ${message}`,
        'http',
        response.status,
        code,
        hint ?? null,
      );
    }
    throw new ApiError(
      `API error at ${API_ORIGIN}: HTTP ${response.status} ${response.statusText}`.trim(),
      'http',
      response.status,
    );
  }
  return body as T;
}

/** GET a JSON body from the API. */
export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return call<T>(path, signal === undefined ? {} : { signal });
}

/** POST a JSON body, with the bearer token when one is given. */
export function apiPost<T>(path: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
  return call<T>(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** Builds `path?query` from the entries that are set. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** The one-line message shown for any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
