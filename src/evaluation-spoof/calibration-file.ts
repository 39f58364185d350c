/** Writes the fitted PAD model as a TypeScript module, so the decision's numbers are reviewed like code. */
import type { PadCalibration } from '../domain/liveness/passive-pad.js';

export function calibrationSource(c: PadCalibration): string {
  const list = (values: readonly number[]) => `[${values.map((v) => Number(v.toPrecision(6))).join(', ')}]`;
  return `/**
 * The passive liveness model in force, written by \`npx tsx scripts/eval-spoof.ts --spoof <dir> --write-calibration\`.
 * ${c.provenance}.
 * Do not edit by hand: re-run the evaluation (docs/LIVENESS.md).
 */
import type { PadCalibration } from './passive-pad.js';

export const PAD_CALIBRATION: PadCalibration = {
  features: ${JSON.stringify(c.features)},
  mean: ${list(c.mean)},
  scale: ${list(c.scale)},
  weights: ${list(c.weights)},
  intercept: ${Number(c.intercept.toPrecision(6))},
  passScore: ${c.passScore},
  attackScore: ${c.attackScore},
  provenance: ${JSON.stringify(c.provenance)},
};
`;
}
