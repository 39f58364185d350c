import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.js';
import { projectFile } from '../shared/project-file.js';

/** Measured false-accept rate at ascending distances: how to read a distance as "1 impostor in N comes this close". */
const farTable = z.array(z.object({ distance: z.number().positive(), far: z.number().positive().max(1) })).min(2)
  .refine((t) => t.every((p, i) => i === 0 || (p.distance > t[i - 1]!.distance && p.far >= t[i - 1]!.far)), {
    message: 'expected distances strictly ascending and FAR not decreasing',
  });

/** Thresholds on the fused distance for one gallery size (number of references compared). */
const galleryThresholds = z.object({
  verifyMaxDistance: z.number().positive(),
  reviewMaxDistance: z.number().positive(),
  /** The harness command and set this size was measured with, and what it measured. */
  source: z.string(),
  /** Measured FAR of the fused distance (the model's own table is for single pairs). */
  farTable: farTable.optional(),
  measured: z.object({ verifyTar: z.number(), verifyFar: z.number(), reviewTar: z.number(), reviewFar: z.number(), genuine: z.number().int(), impostor: z.number().int() }).optional(),
}).refine((t) => t.verifyMaxDistance <= t.reviewMaxDistance, { message: 'expected verifyMaxDistance <= reviewMaxDistance' });

/**
 * The reference gallery's decision: the fusion rule (src/domain/verification/gallery-fusion.ts, measured with
 * `npm run eval -- --gallery K`) and thresholds per gallery size ("1".."4"); a larger gallery uses the largest size.
 */
const galleryCalibration = z.object({
  rule: z.enum(['min', 'mean', 'mean-best-2']),
  sizes: z.record(z.string().regex(/^[1-9]\d*$/), galleryThresholds).refine((s) => Object.keys(s).length > 0, { message: 'expected at least one size' }),
});

const modelCalibration = z.object({
  metric: z.literal('euclidean'),
  verifyMaxDistance: z.number().positive(),
  reviewMaxDistance: z.number().positive(),
  similarityZeroAtDistance: z.number().positive(),
  source: z.string(),
  calibratedOn: z.string().nullable(),
  calibratedAt: z.string().nullable(),
  farTable: farTable.optional(),
  gallery: galleryCalibration.optional(),
}).refine((c) => c.verifyMaxDistance <= c.reviewMaxDistance && c.reviewMaxDistance <= c.similarityZeroAtDistance, {
  message: 'expected verifyMaxDistance <= reviewMaxDistance <= similarityZeroAtDistance',
});

/** Decision thresholds of one embedding model, from models/calibration.json. */
export type ModelCalibration = z.infer<typeof modelCalibration>;

const fileSchema = z.object({ models: z.record(z.string(), modelCalibration) });

export const CALIBRATION_FILE = projectFile(import.meta.url, 'models/calibration.json');

/** Reads the thresholds for `model`; a model without calibration must not make decisions. */
export function loadCalibration(model: string, file = CALIBRATION_FILE): ModelCalibration {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${file} ${i.path.join('.')}: ${i.message}`));
  const calibration = parsed.data.models[model];
  if (!calibration) throw new ConfigError([`${file}: no calibration for model "${model}"`]);
  return calibration;
}
