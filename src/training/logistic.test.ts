import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../util/random.js';
import { choleskySolve, fitLogistic, LogisticProblem, WARM_START_MIN_ROWS } from './logistic.js';

/** scikit-learn's objective, written the plain way: C * sum(logloss) + 0.5 * ||w||^2. */
function sklearnObjective(
  x: Float64Array,
  y: Uint8Array,
  d: number,
  C: number,
  w: number[],
  b: number,
): number {
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    let z = b;
    for (let j = 0; j < d; j++) z += (x[i * d + j] as number) * (w[j] as number);
    const p = 1 / (1 + Math.exp(-z));
    loss -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return C * loss + 0.5 * w.reduce((s, v) => s + v * v, 0);
}

/** Its gradient, the plain way: C * X^T (p - y) + [w; 0]. */
function sklearnGradient(
  x: Float64Array,
  y: Uint8Array,
  d: number,
  C: number,
  w: ArrayLike<number>,
  b: number,
) {
  const g = new Array<number>(d + 1).fill(0);
  for (let i = 0; i < y.length; i++) {
    let z = b;
    for (let j = 0; j < d; j++) z += (x[i * d + j] as number) * (w[j] as number);
    const r = 1 / (1 + Math.exp(-z)) - (y[i] as number);
    for (let j = 0; j < d; j++) g[j] = (g[j] as number) + C * r * (x[i * d + j] as number);
    g[d] = (g[d] as number) + C * r;
  }
  for (let j = 0; j < d; j++) g[j] = (g[j] as number) + (w[j] as number);
  return g;
}

function randomProblem(seed: number, n: number, d: number) {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const truth = Array.from({ length: d }, () => rng.normal());
  for (let i = 0; i < n; i++) {
    let z = 0.3;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      x[i * d + j] = v;
      z += v * (truth[j] as number);
    }
    y[i] = rng.bernoulli(1 / (1 + Math.exp(-z)));
  }
  return { x, y };
}

/** d f / d theta[k] by central differences. */
function centralDifference(theta: Float64Array, k: number, f: (t: Float64Array) => number, h = 1e-6): number {
  const plus = Float64Array.from(theta);
  const minus = Float64Array.from(theta);
  plus[k] = (plus[k] as number) + h;
  minus[k] = (minus[k] as number) - h;
  return (f(plus) - f(minus)) / (2 * h);
}

describe('LogisticProblem', () => {
  const d = 4;
  const { x, y } = randomProblem(3, 200, d);
  const problem = new LogisticProblem(x, y, d, 0.7);
  const theta = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4);

  it('is the scikit-learn objective divided by C * n, and its gradient matches finite differences', () => {
    const grad = new Float64Array(d + 1);
    const f = problem.evaluate(theta, grad);
    const w = Array.from(theta.subarray(0, d));
    assert.ok(Math.abs(f - sklearnObjective(x, y, d, 0.7, w, theta[d] as number) / (0.7 * 200)) < 1e-12);
    for (let j = 0; j <= d; j++) {
      const scratch = new Float64Array(d + 1);
      const numeric = centralDifference(theta, j, (t) => problem.evaluate(t, scratch));
      assert.ok(Math.abs(numeric - (grad[j] as number)) < 1e-8, `component ${j}: ${numeric} vs ${grad[j]}`);
    }
  });

  it('has a Hessian that matches finite differences of the gradient', () => {
    const curvature = new Float64Array(200);
    problem.evaluate(theta, new Float64Array(d + 1), curvature);
    const hess = problem.hessian(curvature, new Float64Array((d + 1) ** 2));
    for (let k = 0; k <= d; k++) {
      for (let j = 0; j <= d; j++) {
        const g = new Float64Array(d + 1);
        const numeric = centralDifference(theta, k, (t) => {
          problem.evaluate(t, g);
          return g[j] as number;
        });
        assert.ok(Math.abs(numeric - (hess[j * (d + 1) + k] as number)) < 1e-7, `H[${j}][${k}]`);
      }
    }
  });

  it('stays finite where a naive formula overflows', () => {
    const big = new LogisticProblem(Float64Array.of(800, -800), Uint8Array.of(0, 1), 1);
    const grad = new Float64Array(2);
    const f = big.evaluate(Float64Array.of(1, 0), grad);
    assert.ok(Number.isFinite(f) && f > 700, `objective ${f}`);
    assert.ok(grad.every(Number.isFinite));
  });
});

describe('choleskySolve', () => {
  it('solves a positive definite system and refuses an indefinite one', () => {
    const a = Float64Array.of(4, 2, 0, 2, 3, 1, 0, 1, 2);
    const b = Float64Array.of(1, 2, 3);
    const x = choleskySolve(a, b, 3) as Float64Array;
    for (let i = 0; i < 3; i++) {
      const row =
        (a[i * 3] as number) * (x[0] as number) +
        (a[i * 3 + 1] as number) * (x[1] as number) +
        (a[i * 3 + 2] as number) * (x[2] as number);
      assert.ok(Math.abs(row - (b[i] as number)) < 1e-12);
    }
    assert.equal(choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2), null);
  });
});

describe('fitLogistic', () => {
  it('reaches a zero gradient of the scikit-learn objective, with either solver, at the same point', () => {
    const d = 6;
    const { x, y } = randomProblem(5, 500, d);
    const fits = (['newton', 'lbfgs'] as const).map((solver) => fitLogistic(x, y, d, { solver, C: 1 }));
    for (const fit of fits) {
      assert.equal(fit.converged, true, fit.solver);
      const g = sklearnGradient(x, y, d, 1, fit.coef, fit.intercept);
      // relative to the size of the loss term's gradient (C * n)
      assert.ok(Math.max(...g.map(Math.abs)) / 500 < 1e-7, `${fit.solver}: gradient ${g}`);
    }
    const [newton, lbfgs] = fits as [(typeof fits)[0], (typeof fits)[0]];
    for (let j = 0; j < d; j++)
      assert.ok(Math.abs((newton.coef[j] as number) - (lbfgs.coef[j] as number)) < 1e-6);
    assert.ok(Math.abs(newton.intercept - lbfgs.intercept) < 1e-6);
  });

  it('finds the brute-force minimum on a tiny problem', () => {
    const x = Float64Array.of(-2, -1, 0, 1, 2, 3, 0.5, -0.5);
    const y = Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 1);
    // grid search, zooming in around the best point
    let best = { w: 0, b: 0, f: Number.POSITIVE_INFINITY };
    let half = 4;
    let center = { w: 0, b: 0 };
    for (let round = 0; round < 12; round++) {
      for (let i = -20; i <= 20; i++) {
        for (let k = -20; k <= 20; k++) {
          const w = center.w + (i / 20) * half;
          const b = center.b + (k / 20) * half;
          const f = sklearnObjective(x, y, 1, 1, [w], b);
          if (f < best.f) best = { w, b, f };
        }
      }
      center = { w: best.w, b: best.b };
      half /= 5;
    }
    const fit = fitLogistic(x, y, 1);
    assert.ok(Math.abs((fit.coef[0] as number) - best.w) < 1e-6, `w ${fit.coef[0]} vs ${best.w}`);
    assert.ok(Math.abs(fit.intercept - best.b) < 1e-6, `b ${fit.intercept} vs ${best.b}`);
  });

  it('puts an unpenalised intercept at the log-odds when the features carry nothing', () => {
    const y = Uint8Array.of(1, 0, 0, 1, 0, 0, 0, 1);
    const fit = fitLogistic(new Float64Array(8), y, 1);
    assert.equal(fit.coef[0], 0);
    assert.ok(Math.abs(fit.intercept - Math.log(3 / 5)) < 1e-9);
  });

  it('stays finite and converges on perfectly separable data', () => {
    const x = Float64Array.of(-3, -2, -1, 1, 2, 3);
    const y = Uint8Array.of(0, 0, 0, 1, 1, 1);
    for (const solver of ['newton', 'lbfgs'] as const) {
      for (const C of [1, 1e6]) {
        const fit = fitLogistic(x, y, 1, { solver, C });
        assert.ok(Number.isFinite(fit.coef[0]) && Number.isFinite(fit.intercept), `${solver} C=${C}`);
        assert.ok((fit.coef[0] as number) > 0);
        assert.equal(fit.converged, true, `${solver} C=${C}: gradient ${fit.gradNorm}`);
      }
    }
  });

  it('shrinks the weights as C falls', () => {
    const { x, y } = randomProblem(9, 300, 3);
    const norm = (C: number) => Math.hypot(...fitLogistic(x, y, 3, { C }).coef);
    assert.ok(norm(0.01) < norm(1));
    assert.ok(norm(1) < norm(100));
  });

  it('warm-starts large fits from a sample and lands on the same optimum', () => {
    const { x, y } = randomProblem(8, WARM_START_MIN_ROWS, 3);
    const cold = fitLogistic(x, y, 3, { warmStart: false });
    const warm = fitLogistic(x, y, 3);
    assert.equal(cold.warmStart, null);
    assert.deepEqual(warm.warmStart?.rows, WARM_START_MIN_ROWS / 10);
    assert.equal(warm.converged, true);
    assert.ok(warm.iterations < cold.iterations, `${warm.iterations} full-data steps vs ${cold.iterations}`);
    const g = sklearnGradient(x, y, 3, 1, warm.coef, warm.intercept);
    assert.ok(Math.max(...g.map(Math.abs)) / WARM_START_MIN_ROWS < 1e-7);
    for (let j = 0; j < 3; j++)
      assert.ok(Math.abs((warm.coef[j] as number) - (cold.coef[j] as number)) < 1e-6);
  });

  it('reports iterations to the caller and picks Newton for few features, L-BFGS for many', () => {
    const { x, y } = randomProblem(1, 100, 2);
    const seen: number[] = [];
    const fit = fitLogistic(x, y, 2, { onIteration: (p) => seen.push(p.iteration) });
    assert.equal(fit.solver, 'newton');
    assert.deepEqual(
      seen,
      Array.from({ length: fit.iterations + 1 }, (_, i) => i),
    );
    const wide = randomProblem(2, 120, 60);
    const lbfgs = fitLogistic(wide.x, wide.y, 60);
    assert.equal(lbfgs.solver, 'lbfgs', 'many features: L-BFGS');
    assert.equal(lbfgs.converged, true);
  });
});
