/**
 * L2-regularised logistic regression on standardised features, by full-batch gradient descent: small, dependency
 * free and deterministic, enough for a handful of features and a few hundred images.
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
  const mean = Array.from({ length: d }, (_, k) => x.reduce((s, row) => s + (row[k] as number), 0) / n);
  const scale = Array.from({ length: d }, (_, k) => Math.sqrt(x.reduce((s, row) => s + ((row[k] as number) - (mean[k] as number)) ** 2, 0) / n) || 1);
  const z = x.map((row) => row.map((v, k) => (v - (mean[k] as number)) / (scale[k] as number)));
  const weights = new Array<number>(d).fill(0);
  let intercept = 0;
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const row = z[i] as number[];
      const p = sigmoid(row.reduce((s, v, k) => s + v * (weights[k] as number), intercept));
      const err = p - (y[i] as number);
      for (let k = 0; k < d; k++) grad[k] = (grad[k] as number) + err * (row[k] as number);
      gradB += err;
    }
    for (let k = 0; k < d; k++) weights[k] = (weights[k] as number) - rate * (((grad[k] as number) + l2 * (weights[k] as number)) / n);
    intercept -= (rate * gradB) / n;
  }
  return { mean, scale, weights, intercept };
}

export function predictLogistic(m: LogisticModel, row: readonly number[]): number {
  return sigmoid(row.reduce((s, v, k) => s + (m.weights[k] as number) * ((v - (m.mean[k] as number)) / (m.scale[k] as number)), m.intercept));
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
