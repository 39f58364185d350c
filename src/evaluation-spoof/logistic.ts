/**
 * L2-regularised logistic regression on standardised features, by full-batch gradient descent: small, dependency
 * free and deterministic, enough for a few dozen features and a thousand images. The fixed iteration count acts as
 * extra regularisation along nearly collinear directions (the LBP bins sum to one), so it is part of the model's
 * definition, not a convergence setting. Plain loops over one Float64Array: leave-one-subject-out fits it once per
 * subject, hundreds of times.
 */

export interface LogisticModel {
  readonly mean: number[];
  readonly scale: number[];
  readonly weights: number[];
  readonly intercept: number;
}

export function fitLogistic(x: readonly number[][], y: readonly number[], l2 = 1, iterations = 3000, rate = 0.1): LogisticModel {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i] as number[])[k] as number;
    mean[k] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (((x[i] as number[])[k] as number) - s / n) ** 2;
    scale[k] = Math.sqrt(v / n) || 1;
  }
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) z[i * d + k] = (((x[i] as number[])[k] as number) - (mean[k] as number)) / (scale[k] as number);
  const labels = Float64Array.from(y);
  const w = new Float64Array(d);
  const grad = new Float64Array(d);
  let intercept = 0;
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let t = intercept;
      for (let k = 0; k < d; k++) t += (z[o + k] as number) * (w[k] as number);
      const err = sigmoid(t) - (labels[i] as number);
      for (let k = 0; k < d; k++) grad[k] = (grad[k] as number) + err * (z[o + k] as number);
      gradB += err;
    }
    for (let k = 0; k < d; k++) w[k] = (w[k] as number) - rate * (((grad[k] as number) + l2 * (w[k] as number)) / n);
    intercept -= (rate * gradB) / n;
  }
  return { mean, scale, weights: Array.from(w), intercept };
}

export function predictLogistic(m: LogisticModel, row: readonly number[]): number {
  return sigmoid(row.reduce((s, v, k) => s + (m.weights[k] as number) * ((v - (m.mean[k] as number)) / (m.scale[k] as number)), m.intercept));
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
