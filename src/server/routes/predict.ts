import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BalanceOpsError } from '../../errors.js';
import type { ServerDeps } from '../deps.js';
import type { ServedModel } from '../model-cache.js';
import {
  batchBody,
  batchResponse,
  errors,
  MAX_BATCH_ROWS,
  predictBody,
  predictResponse,
} from '../schemas.js';

type RawRecord = Record<string, number | string | boolean | null>;

interface PredictBody {
  features?: number[];
  record?: RawRecord;
}

interface BatchBody {
  instances?: number[][];
  records?: RawRecord[];
}

function mismatch(expected: number, got: number): BalanceOpsError {
  return new BalanceOpsError('FEATURE_SIZE_MISMATCH', 'Feature length mismatch.', {
    hint: 'Call GET /version and send features with expected_n_features length.',
    details: { expected_n_features: expected, got_n_features: got },
  });
}

function encode(model: ServedModel, record: RawRecord): number[] {
  const encodeRecord = model.predictor.encodeRecord;
  if (encodeRecord === undefined) {
    throw new BalanceOpsError(
      'VALIDATION_ERROR',
      `The current model (${model.predictor.type}) takes a features vector, not a record.`,
      {
        hint: 'Send {"features": [...]}.',
      },
    );
  }
  return encodeRecord.call(model.predictor, record);
}

function score(model: ServedModel, body: PredictBody): number {
  let x = body.features;
  if (x === undefined) {
    if (body.record === undefined) {
      throw new BalanceOpsError(
        'VALIDATION_ERROR',
        'Invalid request: body must have `features` (an array of numbers) or `record`.',
      );
    }
    x = encode(model, body.record);
  } else if (body.record !== undefined) {
    throw new BalanceOpsError('VALIDATION_ERROR', 'Invalid request: send `features` or `record`, not both.');
  }
  if (x.length !== model.predictor.nFeatures) throw mismatch(model.predictor.nFeatures, x.length);
  return model.predictor.predictOne(x);
}

/** `POST /predict` and `POST /predict/batch`: score with the current model, fresh as of this request. */
export async function predictRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { cache, metrics } = deps;

  app.post(
    '/predict',
    {
      schema: {
        tags: ['predict'],
        summary: 'Probability of class 1 for one feature vector (or one raw record)',
        body: predictBody,
        response: { 200: predictResponse, ...errors(400, 404, 413, 415, 422, 500) },
      },
    },
    (request: FastifyRequest<{ Body: PredictBody }>, reply: FastifyReply) => {
      // Steady state: the cache answers synchronously and the whole request stays on this tick.
      const served = cache.current();
      if (served !== null && !(served instanceof Promise)) {
        const p = score(served, request.body);
        metrics.predictions.inc();
        return reply.send({ p_win: p });
      }
      return cache.require().then((model) => {
        const p = score(model, request.body);
        metrics.predictions.inc();
        return reply.send({ p_win: p });
      });
    },
  );

  app.post(
    '/predict/batch',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['predict'],
        summary: `Probabilities for up to ${MAX_BATCH_ROWS} feature vectors (or raw records) at once`,
        body: batchBody,
        response: { 200: batchResponse, ...errors(400, 404, 413, 415, 422, 500) },
      },
    },
    async (request: FastifyRequest<{ Body: BatchBody }>) => {
      const model = await cache.require();
      const { instances, records } = request.body;
      if ((instances === undefined) === (records === undefined)) {
        throw new BalanceOpsError(
          'VALIDATION_ERROR',
          'Invalid request: body must have exactly one of `instances` or `records`.',
        );
      }
      const rows = instances ?? (records as RawRecord[]).map((r) => encode(model, r));
      const n = model.predictor.nFeatures;
      const bad = rows.findIndex((row) => row.length !== n);
      if (bad >= 0) {
        const err = mismatch(n, (rows[bad] as number[]).length);
        (err.details as Record<string, unknown>).row = bad;
        throw err;
      }
      metrics.predictions.inc(rows.length);
      return { p_win: model.predictor.predictProba(rows) };
    },
  );
}
