import { z } from 'zod';
import type { QualityChecker } from '../../domain/quality/quality-check.service.js';
import { localiseQuality } from '../../domain/quality/quality-assessment.js';
import { pickLanguage, QUALITY_CODES, QUALITY_OK } from '../../domain/quality/quality-messages.js';
import type { NormalizeImage } from '../../images/image-normalizer.js';
import { ValidationError } from '../../shared/errors.js';
import { uploadedFile } from '../middleware/upload.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses } from '../schemas.js';

export interface QualityRoutesDeps {
  /** Runs off the request loop (worker threads); may refuse with 503 QUALITY_BUSY or QUALITY_TIMEOUT. */
  readonly quality: QualityChecker;
  /** The submission uploads' normalisation, so that the check and the worker judge the same pixels. */
  readonly normalizeImage: NormalizeImage;
}

const qualityResponse = z.object({
  pass: z.boolean(),
  language: z.enum(['tg', 'ru', 'en']).describe('Language of the messages, from Accept-Language (default tg)'),
  message: z.string().describe('The first failing finding\'s message, or a short "the photo is good"'),
  findings: z.array(z.object({
    code: z.enum(QUALITY_CODES), severity: z.enum(['fail', 'warn']), message: z.string(),
    value: z.number().nullable(), threshold: z.number().nullable(),
  })).describe('Most important first'),
  components: z.record(z.string(), z.number()).nullable().describe('ISO/IEC 29794-5 style measures of the largest face; null without a face'),
  timings: z.object({ decodeMs: z.number(), inferenceMs: z.number(), assessMs: z.number(), totalMs: z.number() }),
});

/** POST /v1/quality-check: is this selfie good enough, and if not, what should the person do. */
export function qualityRoutes(deps: QualityRoutesDeps): RouteSpec[] {
  return [{
    method: 'post', path: '/v1/quality-check', summary: 'Check a selfie\'s capture quality at once (nothing is stored)',
    roles: ['mobile-client', 'operator', 'admin'],
    multipart: { files: [{ name: 'image', required: true, description: 'Selfie (JPEG, PNG or WebP)' }] },
    responses: { 200: { description: 'Pass or fail, with findings in the requested language', schema: qualityResponse }, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
    handler: async (req, res) => {
      const started = performance.now();
      const bytes = uploadedFile(req, 'image');
      if (!bytes) throw new ValidationError('FILE_REQUIRED', 'Missing file field: image.', { fields: ['image'] });
      const image = await deps.normalizeImage(bytes, 'image');
      const { report, timings } = await deps.quality.check(image.jpeg);
      const language = pickLanguage(req.get('accept-language'));
      const localised = localiseQuality(report, language);
      const firstFail = localised.findings.find((f) => f.severity === 'fail');
      res.set('Content-Language', language).set('Cache-Control', 'no-store').json({
        ...localised,
        message: firstFail?.message ?? QUALITY_OK[language],
        timings: { ...timings, totalMs: Math.round((performance.now() - started) * 10) / 10 },
      });
    },
  }];
}
