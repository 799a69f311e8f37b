import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBodyJson } from '../contract.js';
import { BalanceOpsError, ERROR_CATALOGUE, type ErrorCode, isBalanceOpsError } from '../errors.js';

const MAX_REQUEST_ID = 200;

/** The request id of a request: the client's `X-Request-ID` when it is sane, otherwise a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' &&
    given.length > 0 &&
    given.length <= MAX_REQUEST_ID &&
    /^[\x21-\x7e]+$/.test(given)
    ? given
    : randomUUID();
}

/**
 * An envelope written on the raw response, for the few failures the router answers before a Fastify
 * request exists (a path parameter longer than the router accepts).
 */
export function sendRawEnvelope(
  req: IncomingMessage,
  res: ServerResponse,
  code: ErrorCode,
  message: string,
): void {
  const id = requestIdFor(req);
  const body = JSON.stringify(errorBody(id, code, message));
  res.writeHead(ERROR_CATALOGUE[code].status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': id,
  });
  res.end(body);
}

/** The one place an error becomes the contract's envelope `{ok: false, error: {...}, request_id}`. */
export function errorBody(
  requestId: string,
  code: ErrorCode,
  message: string,
  extra: { hint?: string | undefined; details?: unknown } = {},
): ErrorBodyJson {
  const error: ErrorBodyJson['error'] = { code, message };
  if (extra.hint) error.hint = extra.hint;
  if (extra.details !== undefined) error.details = extra.details;
  return { ok: false, error, request_id: requestId };
}

function send(reply: FastifyReply, status: number, body: ErrorBodyJson): void {
  void reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** Translates whatever a route or Fastify itself threw into a 4xx/5xx envelope; never leaks internals. */
function toEnvelope(
  err: FastifyError | Error,
  request: FastifyRequest,
): { status: number; body: ErrorBodyJson } {
  if (isBalanceOpsError(err)) {
    const body: ErrorBodyJson = errorBody(request.id, err.code, err.message, {
      hint: err.hint,
      details: err.details,
    });
    if (err.code === 'FEATURE_SIZE_MISMATCH') {
      // Older clients (the original smoke_http tool) look for FastAPI's `detail` shape to learn the size.
      const { expected_n_features, got_n_features } = err.details as {
        expected_n_features: number;
        got_n_features: number;
      };
      body.detail = { error: 'feature_size_mismatch', expected_n_features, got_n_features };
    }
    return { status: err.status, body };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      part: fe.validationContext ?? 'request',
      path: v.instancePath || '/',
      message: v.message ?? 'is invalid',
    }));
    const first = details[0];
    const where = first ? `${first.part}${first.path === '/' ? '' : first.path}` : 'request';
    return {
      status: 422,
      body: errorBody(
        request.id,
        'VALIDATION_ERROR',
        `Invalid request: ${where} ${first?.message ?? 'is invalid'}.`,
        {
          details,
        },
      ),
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody(request.id, 'PAYLOAD_TOO_LARGE', fe.message) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: errorBody(request.id, 'UNSUPPORTED_MEDIA_TYPE', fe.message, {
          hint: 'Send Content-Type: application/json.',
        }),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: errorBody(request.id, 'BAD_REQUEST', `Malformed JSON body: ${fe.message}`),
      };
    default:
      break;
  }
  // The JSON parser reports bad syntax as a SyntaxError carrying statusCode 400.
  if (fe.statusCode === 400 || err instanceof SyntaxError) {
    return { status: 400, body: errorBody(request.id, 'BAD_REQUEST', `Malformed request: ${fe.message}`) };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: errorBody(request.id, 'BAD_REQUEST', fe.message) };
  }
  return {
    status: 500,
    body: errorBody(request.id, 'INTERNAL_ERROR', ERROR_CATALOGUE.INTERNAL_ERROR.message, {
      hint: 'The server log has the details under this request id.',
    }),
  };
}

/** Installs the error and not-found handlers that make every failure an envelope. */
export function installEnvelope(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    const { status, body } = toEnvelope(err, request);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code, msg: body.error.message }, 'request rejected');
    send(reply, status, body);
  });
  app.setNotFoundHandler((request, reply) => {
    send(
      reply,
      404,
      errorBody(request.id, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`, {
        hint: 'See /docs for the API.',
      }),
    );
  });
}

/** Fastify's own early failures (a malformed URL) as envelopes too. */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  send(reply, 400, errorBody(request.id, 'BAD_REQUEST', `Malformed request: ${err.message}`));
}

export { BalanceOpsError };
