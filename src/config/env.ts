import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const days = z.coerce.number().positive();

/**
 * The whole environment, in one schema. This module is the only place that reads process.env:
 * everything else receives the parsed, typed `Config`.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port of the API. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL URL. Unset: embedded PostgreSQL (PGlite) under DATA_DIR/db, single-process mode only. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * Apply pending migrations at start (development, single machine). Set false in production, where the service's
   * database role may not run DDL: the start then only checks that `cli db migrate` (run as the owner) is done.
   */
  DB_MIGRATE_ON_START: bool.default(true),
  /** Redis URL. Unset: 127.0.0.1:6379, or a private redis-server started under DATA_DIR. */
  REDIS_URL: z.string().url().optional(),
  /** Embedded database, encrypted blobs and generated development keys live here. */
  DATA_DIR: z.string().default('./var'),
  /** Prefix of every BullMQ key, so that two instances can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('zinda'),
  /** The erasure ledger file; keep it OUT of database/blob backups (default DATA_DIR/ledger/erasures.jsonl). */
  ERASURE_LEDGER_PATH: z.string().optional(),
  /** 32-byte master key, base64. Required in production; generated into DATA_DIR otherwise. */
  MASTER_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * On SIGTERM the process ends within this budget even when a request or job hangs: open requests get up to 40 %
   * of it to finish, running jobs and closing the rest; after it, the process logs what was still running and exits.
   * Keep it below the orchestrator's kill grace (Kubernetes 30 s; compose sets stop_grace_period to match).
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(25_000),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /**
   * Each liveness challenge frame. Frames are video stills for head pose, blinks and mouth, not portraits: 1280 px on
   * the long side at JPEG quality ~85 is 100-400 KB. A selfie and 12 frames then fit one request (the budget is
   * UPLOAD_MAX_BYTES + 12 x this), where 12 full-size phone photos would not.
   */
  UPLOAD_FRAME_MAX_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Multipart uploads held in memory at once; the rest wait (bounded memory under many large uploads). */
  UPLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Decoded pixel limit per image, against decompression bombs. */
  UPLOAD_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  /** Longest side an image is stored and analysed at; larger uploads are scaled down. */
  IMAGE_MAX_SIDE: z.coerce.number().int().min(320).default(2000),
  /** Uploaded images the API decodes and re-encodes at once, across all requests; default the core count. */
  IMAGE_NORMALIZE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  /** Threads of the API process that run POST /v1/quality-check's face detection, off the request loop. */
  QUALITY_CHECK_THREADS: z.coerce.number().int().min(1).max(32).default(1),
  /** Checks that may wait for a free thread; one more is answered 503 QUALITY_BUSY with Retry-After. */
  QUALITY_CHECK_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  /** Longest a check waits for a thread, and longest it runs there, before 503 QUALITY_TIMEOUT. */
  QUALITY_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /**
   * Where the nets run: 'wasm' (tfjs WASM, the tested default); 'native' runs the nets that have a generated ONNX
   * graph (today face-api's FaceRecognitionNet) on onnxruntime-node with one thread per process and fails the start
   * if it cannot load; 'auto' does so when it loads, else wasm; 'tensorflow' requires tfjs-node. The answer's
   * match.model.backend names what ran where (src/engine/native, docs/BENCHMARKS.md).
   */
  ENGINE_BACKEND: z.enum(['auto', 'wasm', 'native', 'tensorflow']).default('wasm'),
  ENGINE_DETECTOR: z.enum(['ssd', 'tiny']).default('ssd'),
  /** Face pipeline (src/engine/create-engine.ts, compared in docs/ACCURACY.md); each has its thresholds in models/calibration.json. */
  ENGINE_MODEL: z.enum(['faceapi-frnet-128', 'human-faceapi-frnet-5pt', 'human-faceres-5pt', 'human-faceres']).default('human-faceapi-frnet-5pt'),
  ENGINE_MIN_DETECTION_SCORE: z.coerce.number().min(0).max(1).default(0.5),
  /** Read and cross-check the MRZ of enrolment documents (tesseract.js, offline). */
  DOCUMENT_OCR: bool.default(true),
  /** Document photo reuse (docs/DOCUMENTS.md, "Photo reuse"): largest distance, in bits of 256, between two portrait regions' hashes... */
  DOCUMENT_REUSE_MAX_PORTRAIT_BITS: z.coerce.number().int().min(0).max(128).default(32),
  /** ...and, in bits of 64, between the two whole pages' hashes, for two document photos to count as the same picture. */
  DOCUMENT_REUSE_MAX_PAGE_BITS: z.coerce.number().int().min(0).max(32).default(16),
  /** Smallest selfie face (box width in px, after scaling) that is accepted as a reference. */
  MIN_FACE_PX: z.coerce.number().int().positive().default(80),
  /**
   * Proof-of-life selfies a subject's reference gallery keeps beside the enrolment's document portrait and selfie
   * (docs/ACCURACY.md, "Reference gallery"); the oldest leaves when a newer one joins. 0: the anchors only.
   */
  GALLERY_MAX_RECENT: z.coerce.number().int().min(0).max(10).default(3),
  /** A subject whose newest reference is older than this is flagged for re-enrolment in person (template ageing). */
  REFERENCE_MAX_AGE_YEARS: z.coerce.number().int().min(1).max(50).default(5),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Worker processes `npm run start:worker` runs (one inference each); defaults to the core count. */
  WORKER_PROCESSES: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  /** Seconds between a worker's 'worker stats' log lines (memory, live tensors, jobs done); 0: none. */
  WORKER_STATS_SECONDS: z.coerce.number().int().min(0).default(300),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  /** BullMQ lock: a worker killed mid-job has its job taken over after this long. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Raw selfie/document images: days kept after the decision. */
  RETENTION_IMAGES_DAYS: days.default(30),
  /** Results and decisions (no biometric content): days kept after the decision. */
  RETENTION_RESULTS_DAYS: days.default(5 * 365),
  /** A submission still queued after this long is enqueued again (its job may never have reached Redis). */
  STALE_SUBMISSION_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Liveness challenge frames: hours kept after the decision. */
  RETENTION_LIVENESS_FRAME_HOURS: z.coerce.number().positive().default(24),
  /** Longest term for a reference template even while consent lasts; unset = until consent ends. */
  RETENTION_TEMPLATE_MAX_DAYS: z.coerce.number().int().positive().optional(),
  /** How often the retention sweep (the database backstop) runs. */
  RETENTION_SWEEP_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Image views by one person within UNUSUAL_ACCESS_WINDOW_MIN that raise an unusual-access alert. */
  UNUSUAL_ACCESS_MAX_VIEWS: z.coerce.number().int().positive().default(40),
  UNUSUAL_ACCESS_WINDOW_MIN: z.coerce.number().int().positive().default(10),
  /** Refused authentications from one address within a minute beyond which an alert enters the audit trail. */
  AUTH_FAILURE_ALERT_PER_MIN: z.coerce.number().int().positive().default(30),
  /** Wrong secrets one address may present for one key id per AUTH_KEY_FAILURE_WINDOW_MIN before 429 AUTH_THROTTLED. */
  AUTH_KEY_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  AUTH_KEY_FAILURE_WINDOW_MIN: z.coerce.number().int().positive().default(15),
  /** Requests per minute per client IP and per API key, shared through Redis across processes. Generous by
   * default: many phones reach us through one carrier NAT address; tighten per deployment. */
  RATE_LIMIT_PER_IP_PER_MIN: z.coerce.number().int().positive().default(3000),
  RATE_LIMIT_PER_KEY_PER_MIN: z.coerce.number().int().positive().default(6000),
  /** Dashboard: a staff session unused this long ends. */
  STAFF_SESSION_IDLE_MIN: z.coerce.number().int().positive().default(15),
  /** Dashboard: no staff session outlives this. */
  STAFF_SESSION_MAX_HOURS: z.coerce.number().positive().default(8),
  /** Failed sign-ins before a staff account is locked, and for how long. */
  STAFF_LOCK_AFTER_FAILURES: z.coerce.number().int().positive().default(5),
  STAFF_LOCK_MIN: z.coerce.number().int().positive().default(15),
  /** Secure (HTTPS-only) cookies; default on in production. */
  COOKIE_SECURE: bool.optional(),
  /** Stamp the viewer's name and the time on every face shown in the dashboard. */
  DASHBOARD_WATERMARK: bool.default(true),
  /** A reviewer's claim on a case lapses after this long without a decision. */
  REVIEW_CLAIM_MIN: z.coerce.number().int().positive().default(30),
  /** The office's time zone (IANA name): every time on the dashboard is shown in it, with its name. */
  OFFICE_TIME_ZONE: z.string().default('Asia/Dushanbe').refine((zone) => {
    try { new Intl.DateTimeFormat('en', { timeZone: zone }); return true; } catch { return false; }
  }, 'an IANA time zone such as Asia/Dushanbe'),
  /** Delete a case's images as soon as a reviewer decides it, instead of after RETENTION_IMAGES_DAYS. */
  RETENTION_DELETE_IMAGES_AFTER_REVIEW: bool.default(false),
  /** Notification gateway (SMS/push) that receives campaign invitations and reminders; required to start a campaign. */
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  /** Payment system that receives overdue and cleared notices; unset = the overdue list by export only. */
  PAYMENT_WEBHOOK_URL: z.string().url().optional(),
  /** HMAC-SHA256 key of the X-Zinda-Signature header of campaign webhooks. */
  WEBHOOK_SECRET: z.string().min(32).optional(),
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  CAMPAIGN_PAGE_SIZE: z.coerce.number().int().min(1).max(20_000).default(2000),
  CAMPAIGN_TICK_SECONDS: z.coerce.number().int().min(1).default(30),
  CAMPAIGN_MAX_QUEUED_DELIVERIES: z.coerce.number().int().min(100).default(100_000),
  /** Capture-quality gate (src/domain/quality/quality-thresholds.ts, docs/LIVENESS.md). */
  QUALITY_MIN_INTER_EYE_PX: z.coerce.number().positive().default(28),
  QUALITY_MIN_FACE_HEIGHT_RATIO: z.coerce.number().min(0).max(1).default(0.12),
  QUALITY_MAX_FACE_HEIGHT_RATIO: z.coerce.number().min(0).max(1).default(0.8),
  QUALITY_MAX_OUTSIDE_RATIO: z.coerce.number().min(0).max(1).default(0.1),
  QUALITY_MIN_LUMINANCE: z.coerce.number().min(0).max(255).default(60),
  QUALITY_MAX_LUMINANCE: z.coerce.number().min(0).max(255).default(215),
  QUALITY_MAX_UNDEREXPOSED: z.coerce.number().min(0).max(1).default(0.35),
  QUALITY_MAX_OVEREXPOSED: z.coerce.number().min(0).max(1).default(0.2),
  QUALITY_MIN_CONTRAST: z.coerce.number().min(0).max(128).default(14),
  QUALITY_MIN_SHARPNESS: z.coerce.number().min(0).default(0.03),
  QUALITY_MAX_YAW_DEG: z.coerce.number().min(0).max(90).default(30),
  QUALITY_MAX_PITCH_DEG: z.coerce.number().min(0).max(90).default(25),
  QUALITY_MAX_ROLL_DEG: z.coerce.number().min(0).max(90).default(20),
  QUALITY_MIN_EYE_OPENNESS: z.coerce.number().min(0).max(1).default(0.15),
  /** Active challenge lifetime (at most 3 minutes). */
  LIVENESS_CHALLENGE_TTL_SECONDS: z.coerce.number().int().min(10).max(180).default(120),
  LIVENESS_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LIVENESS_FAILURE_WINDOW_MIN: z.coerce.number().positive().default(3),
  LIVENESS_LOCKOUT_MIN: z.coerce.number().positive().default(30),
  /** A verification without an active challenge response cannot be verified: it goes to an officer. */
  LIVENESS_REQUIRE_CHALLENGE: bool.default(false),
  /** The passive attack check must have run on the selfie for `verified` (a missing score is doubt, never a pass). */
  LIVENESS_REQUIRE_PASSIVE: bool.default(true),
  /** Start a private redis-server from PATH when none answers and REDIS_URL is unset. */
  REDIS_AUTOSTART: bool.default(true),
  /** Who creates subjects: `roster` (the pension fund's list, imported by an operator) or `self` (the app may). */
  SUBJECT_REGISTRATION: z.enum(['roster', 'self']).default('roster'),
  /** A phone's device credential expires after this many days (docs/SECURITY.md). */
  DEVICE_CREDENTIAL_TTL_DAYS: z.coerce.number().int().positive().default(730),
  /** Active device credentials one subject may hold (phones of the pensioner and of relatives). */
  DEVICE_CREDENTIALS_MAX_ACTIVE: z.coerce.number().int().positive().default(3),
  /** An activation code issued at the office is valid this many minutes, once. */
  ACTIVATION_CODE_TTL_MIN: z.coerce.number().int().positive().max(24 * 60).default(15),
  /** Failed verifications from one phone within DEVICE_FAILURE_WINDOW_MIN after which that phone is refused (429
   * DEVICE_LOCKED_OUT); below LIVENESS_MAX_FAILURES so one phone cannot lock its pensioner out everywhere. */
  DEVICE_MAX_FAILURES: z.coerce.number().int().positive().default(3),
  DEVICE_FAILURE_WINDOW_MIN: z.coerce.number().positive().default(30),
  /** Requests per minute with the app key alone, per app key and source address (first contact, code redemption, polling
   * the first enrolment): no one source can use up the public key for every phone; generous for carrier NAT. */
  RATE_LIMIT_APP_KEY_PER_SOURCE_PER_MIN: z.coerce.number().int().positive().default(600),
});

export type Env = z.infer<typeof envSchema>;

/** Parsed, derived configuration handed to every module. */
export interface Config extends Env {
  readonly dataDir: string;
  readonly embeddedDatabase: boolean;
  readonly redisUrl: string;
  readonly erasureLedgerPath: string;
}

/** Parses the environment once; lists every bad key at once so an operator fixes them in one go. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.MASTER_KEY) {
    problems.push('MASTER_KEY: required in production (32 random bytes, base64); refusing to start without it');
  }
  if (env.MASTER_KEY && Buffer.from(env.MASTER_KEY, 'base64').length !== 32) {
    problems.push('MASTER_KEY: must be exactly 32 bytes encoded as base64');
  }
  if ((env.NOTIFY_WEBHOOK_URL || env.PAYMENT_WEBHOOK_URL) && !env.WEBHOOK_SECRET) {
    problems.push('WEBHOOK_SECRET: required when NOTIFY_WEBHOOK_URL or PAYMENT_WEBHOOK_URL is set (at least 32 characters)');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    ...env,
    dataDir: path.resolve(env.DATA_DIR),
    embeddedDatabase: !env.DATABASE_URL,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    erasureLedgerPath: path.resolve(env.ERASURE_LEDGER_PATH ?? path.join(env.DATA_DIR, 'ledger', 'erasures.jsonl')),
  };
}
