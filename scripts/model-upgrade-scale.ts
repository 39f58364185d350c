/**
 * Model upgrade scale check: seeds N synthetic subjects, each with an enrolment and two reference rows of the
 * default model (placeholder bytes, no face, no passport; a tenth also holds a reference of the target model and
 * must be left out), then runs a batch's fan-out and reports its time, the subjects queued, this process's
 * peak RSS and the jobs in Redis (bounded by --max-queued). Inference is not measured here (see docs/CAMPAIGNS.md).
 *
 *   npx tsx scripts/model-upgrade-scale.ts --subjects 100000 [--page 500] [--max-queued 1000]
 *
 * Needs DATABASE_URL_TEST / REDIS_URL_TEST like the integration tests; drops its database and queues at the end.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { composeService, modelUpgradeCore } from '../src/bootstrap/service.js';
import { engineVersion } from '../src/engine/create-engine.js';
import { createLogger } from '../src/shared/logger.js';
import { createModelUpgradeModule } from '../src/bootstrap/modules/model-upgrade.module.js';
import { createTestEnvironment } from '../test/support/services.js';

const { values } = parseArgs({
  options: { subjects: { type: 'string', default: '100000' }, page: { type: 'string', default: '500' }, 'max-queued': { type: 'string', default: '1000' } },
});
const N = Number(values.subjects);
const SEED_BATCH = 10_000;
const TARGET = 'faceapi-frnet-128';

const env = await createTestEnvironment();
const svc = await composeService(env.config, createLogger('silent'), env.config.redisUrl);
const mod = createModelUpgradeModule(modelUpgradeCore(svc), { settings: { pageSize: Number(values.page), maxQueued: Number(values['max-queued']) } });
try {
  const t0 = performance.now();
  for (let done = 0; done < N; done += SEED_BATCH) {
    const ids = Array.from({ length: Math.min(SEED_BATCH, N - done) }, () => randomUUID());
    await svc.platform.db.query(
      `INSERT INTO subjects (id, external_ref, created_at, updated_at)
       SELECT id, 'PN-S' || lpad((n + $2)::text, 7, '0'), now(), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`, [ids, done]);
    await svc.platform.db.query(
      `INSERT INTO submissions (id, subject_id, kind, status, created_at) SELECT gen_random_uuid(), id, 'enrollment', 'completed', now() FROM unnest($1::uuid[]) AS id`, [ids]);
  }
  await svc.platform.db.query(
    `INSERT INTO reference_templates (id, subject_id, submission_id, source, model, model_version, status, embedding_enc, face_score)
     SELECT gen_random_uuid(), s.subject_id, s.id, src, 'human-faceapi-frnet-5pt', '0-old', 'active', '\\x00'::bytea, 0.9
       FROM submissions s, unnest(ARRAY['selfie','document']) AS src`);
  await svc.platform.db.query(
    `INSERT INTO reference_templates (id, subject_id, submission_id, source, model, model_version, status, embedding_enc, face_score)
     SELECT gen_random_uuid(), s.subject_id, s.id, 'selfie', $1, $2, 'active', '\\x00'::bytea, 0.9 FROM submissions s WHERE random() < 0.1`,
    [TARGET, engineVersion(TARGET)]);
  await svc.platform.db.query('ANALYZE');
  const expected = (await svc.platform.db.query<{ n: number }>(
    `SELECT count(DISTINCT subject_id)::int AS n FROM reference_templates WHERE subject_id NOT IN (SELECT subject_id FROM reference_templates WHERE model = $1)`, [TARGET]))[0]!.n;
  console.log(`seeded ${N} subjects in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${expected} need the upgrade`);

  const batch = await mod.services.upgrades.start({ targetModel: TARGET }, { type: 'system', id: 'scale-script', role: null });
  let peak = process.memoryUsage().rss;
  const t1 = performance.now();
  const outcome = await mod.services.fanOut.run(batch.id, { onPage: () => void (peak = Math.max(peak, process.memoryUsage().rss)) });
  const seconds = (performance.now() - t1) / 1000;
  const b = await mod.services.upgrades.get(batch.id);
  console.log([
    `fan-out ${outcome}: ${b.counts.queued} subjects queued (expected ${expected}) in ${seconds.toFixed(1)} s`,
    `(${Math.round(b.counts.queued / seconds)} a second, pages of ${values.page}); peak RSS ${Math.round(peak / 2 ** 20)} MiB;`,
    `subject jobs in Redis ${await mod.producer.backlog()} (limit ${values['max-queued']})`,
  ].join(' '));
} finally {
  await mod.producer.control.obliterate({ force: true }).catch(() => undefined);
  await mod.producer.subjects.obliterate({ force: true }).catch(() => undefined);
  await mod.close();
  await svc.close();
  await env.cleanup();
}
