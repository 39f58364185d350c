import type { Queryable } from '../database/database.js';
import type { CampaignStatus, Cohort, MemberState } from '../../domain/campaigns/campaign.js';
import type { Decision } from '../../domain/campaigns/member-state.js';
import type { CampaignMemberRepository, MemberRow, ReconcileCandidate, Transition } from '../../domain/campaigns/campaign-ports.js';

/** WHERE clause of a cohort over `subjects s` joined to `subject_attributes a`; appends its values to `params`. */
function cohortWhere(cohort: Cohort, params: unknown[]): string {
  const where = [`s.status = 'active'`];
  const p = (value: unknown) => `$${params.push(value)}`;
  if (cohort.regions) where.push(`a.region = ANY(${p(cohort.regions)}::text[])`);
  if (cohort.offices) where.push(`a.office = ANY(${p(cohort.offices)}::text[])`);
  if (cohort.birthYearFrom !== undefined) where.push(`a.birth_year >= ${p(cohort.birthYearFrom)}`);
  if (cohort.birthYearTo !== undefined) where.push(`a.birth_year <= ${p(cohort.birthYearTo)}`);
  if (cohort.lastVerifiedBefore) {
    where.push(`NOT EXISTS (SELECT 1 FROM submissions v WHERE v.subject_id = s.id AND v.status = 'completed'
      AND v.decision = 'verified' AND v.created_at >= ${p(new Date(cohort.lastVerifiedBefore))})`);
  }
  if (cohort.newestReferenceBefore) {
    // A subject without any reference in use is not enrolled: not "aged", and left out.
    where.push(`(SELECT max(t.created_at) FROM reference_templates t WHERE t.subject_id = s.id AND t.status = 'active'
      AND t.deleted_at IS NULL) < ${p(new Date(cohort.newestReferenceBefore))}`);
  }
  return where.join(' AND ');
}

const needsAttributes = (c: Cohort) => Boolean(c.regions || c.offices || c.birthYearFrom !== undefined || c.birthYearTo !== undefined);
const fromCohort = (c: Cohort) => `subjects s${needsAttributes(c) ? ' JOIN subject_attributes a ON a.subject_id = s.id' : ''}`;

/** Memberships of subjects in campaigns (campaign_subjects). */
export class SqlCampaignMemberRepository implements CampaignMemberRepository {
  constructor(private readonly db: Queryable) {}

  async countCohort(cohort: Cohort): Promise<number> {
    const params: unknown[] = [];
    const where = cohortWhere(cohort, params);
    const [row] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fromCohort(cohort)} WHERE ${where}`, params);
    return row?.n ?? 0;
  }

  /** The next page of the cohort after `afterId`, in subject id order (keyset: constant cost per page). */
  async cohortPage(cohort: Cohort, afterId: string | null, limit: number): Promise<string[]> {
    const params: unknown[] = [limit];
    const where = [cohortWhere(cohort, params)];
    if (afterId) {
      const after = `$${params.push(afterId)}`;
      // Repeated on the joined table so that a merge join starts at the cursor, not at the first row.
      where.push(`s.id > ${after}`, ...(needsAttributes(cohort) ? [`a.subject_id > ${after}`] : []));
    }
    const rows = await this.db.query<{ id: string }>(
      `SELECT s.id FROM ${fromCohort(cohort)} WHERE ${where.join(' AND ')} ORDER BY s.id LIMIT $1`, params);
    return rows.map((r) => r.id);
  }

  /** Adds members; the primary key keeps a re-run from adding anyone twice. Returns who was new. */
  async insert(campaignId: string, subjectIds: readonly string[], at: Date): Promise<string[]> {
    const rows = await this.db.query<{ subject_id: string }>(
      `INSERT INTO campaign_subjects (campaign_id, subject_id, state, invited_at, state_changed_at)
       SELECT $1, id, 'invited', $3, $3 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING subject_id`,
      [campaignId, subjectIds, at],
    );
    return rows.map((r) => r.subject_id);
  }

  /** The next page of members after `afterId`, in subject id order (the primary key's order). */
  async page(campaignId: string, afterId: string | null, limit: number): Promise<{ subjectId: string; state: MemberState }[]> {
    const rows = await this.db.query<{ subject_id: string; state: MemberState }>(
      `SELECT subject_id, state FROM campaign_subjects WHERE campaign_id = $1 ${afterId === null ? '' : 'AND subject_id > $3'}
        ORDER BY subject_id LIMIT $2`,
      afterId === null ? [campaignId, limit] : [campaignId, limit, afterId],
    );
    return rows.map((r) => ({ subjectId: r.subject_id, state: r.state }));
  }

  /**
   * Members of the given subjects (in one campaign, or in every live campaign) with their best decision:
   * verified > needs_review > rejected, then the latest, among completed submissions made since the campaign opened.
   */
  async candidates(subjectIds: readonly string[], campaignId: string | null): Promise<ReconcileCandidate[]> {
    const rows = await this.db.query<{
      campaign_id: string; subject_id: string; state: MemberState; campaign_status: CampaignStatus; decision: Decision | null; submission_id: string | null;
    }>(
      `SELECT cs.campaign_id, cs.subject_id, cs.state, c.status AS campaign_status, b.decision, b.id AS submission_id
         FROM campaign_subjects cs
         JOIN campaigns c ON c.id = cs.campaign_id
         LEFT JOIN LATERAL (
           SELECT s.id, s.decision FROM submissions s
            WHERE s.subject_id = cs.subject_id AND s.status = 'completed' AND s.decision IS NOT NULL AND s.created_at >= c.opens_at
            ORDER BY CASE s.decision WHEN 'verified' THEN 3 WHEN 'needs_review' THEN 2 ELSE 1 END DESC, s.created_at DESC
            LIMIT 1) b ON true
        WHERE cs.subject_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR cs.campaign_id = $2)
          AND c.status IN ('running','paused','closed') AND cs.state NOT IN ('exempt','verified_in_person')`,
      [subjectIds, campaignId],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id, subjectId: r.subject_id, state: r.state, campaignStatus: r.campaign_status,
      bestDecision: r.decision, bestSubmissionId: r.submission_id,
    }));
  }

  /** Applies transitions, each only if the member is still in its `from` state; returns those applied. */
  async apply(transitions: readonly Transition[], at: Date): Promise<Transition[]> {
    if (!transitions.length) return [];
    const rows = await this.db.query<{ campaign_id: string; subject_id: string; from_state: MemberState; to_state: MemberState; submission_id: string | null }>(
      `UPDATE campaign_subjects cs
          SET state = t.to_state, submission_id = COALESCE(t.submission_id, cs.submission_id), state_changed_at = $6,
              overdue_at = CASE WHEN t.to_state = 'overdue' THEN $6 ELSE cs.overdue_at END
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[]) AS t(campaign_id, subject_id, from_state, to_state, submission_id)
        WHERE cs.campaign_id = t.campaign_id AND cs.subject_id = t.subject_id AND cs.state = t.from_state
        RETURNING cs.campaign_id, cs.subject_id, t.from_state, t.to_state, t.submission_id`,
      [transitions.map((t) => t.campaignId), transitions.map((t) => t.subjectId), transitions.map((t) => t.from),
        transitions.map((t) => t.to), transitions.map((t) => t.submissionId), at],
    );
    return rows.map((r) => ({ campaignId: r.campaign_id, subjectId: r.subject_id, from: r.from_state, to: r.to_state, submissionId: r.submission_id }));
  }

  /** An operator closes a case (in-person verification or exemption); null when the member was not in `from`. */
  async resolve(campaignId: string, subjectId: string, from: MemberState, to: 'exempt' | 'verified_in_person', by: string, reason: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE campaign_subjects SET state = $4, resolved_by = $5, resolution_reason = $6, state_changed_at = $7
        WHERE campaign_id = $1 AND subject_id = $2 AND state = $3 RETURNING subject_id`,
      [campaignId, subjectId, from, to, by, reason, at],
    );
    return rows.length === 1;
  }

  /**
   * Submissions decided in (from, to], in (completed_at, id) order after a keyset cursor: the incremental
   * reconcile reads them to find whose campaign state may have changed.
   */
  async decidedSince(from: Date, to: Date, after: { at: string; id: string } | null, limit: number): Promise<{ id: string; subjectId: string; at: string }[]> {
    // The cursor's time travels as text: a JS Date would cut PostgreSQL's microseconds and re-read rows.
    const rows = await this.db.query<{ id: string; subject_id: string; at: string }>(
      `SELECT id, subject_id, completed_at::text AS at FROM submissions
        WHERE status = 'completed' AND completed_at > $1 AND completed_at <= $2
          AND ($3::timestamptz IS NULL OR (completed_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY completed_at, id LIMIT $5`,
      [from, to, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({ id: r.id, subjectId: r.subject_id, at: r.at }));
  }

  /**
   * Subjects whose case a reviewer decided in (from, to]: a review changes a submission's decision without
   * touching completed_at, and the audit trail's 'review.decided' entries (indexed by action and time) say when.
   */
  async reviewedSince(from: Date, to: Date, afterSeq: number, limit: number): Promise<{ seq: number; subjectId: string }[]> {
    const rows = await this.db.query<{ seq: string | number; subject_id: string }>(
      `SELECT seq, subject_id FROM audit_log
        WHERE action = 'review.decided' AND at > $1 AND at <= $2 AND seq > $3 AND subject_id IS NOT NULL
        ORDER BY seq LIMIT $4`,
      [from, to, afterSeq, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), subjectId: r.subject_id }));
  }

  async subjectOfSubmission(submissionId: string): Promise<string | null> {
    const rows = await this.db.query<{ subject_id: string }>('SELECT subject_id FROM submissions WHERE id = $1', [submissionId]);
    return rows[0]?.subject_id ?? null;
  }

  async find(campaignId: string, subjectId: string): Promise<{ state: MemberState } | null> {
    const rows = await this.db.query<{ state: MemberState }>(
      'SELECT state FROM campaign_subjects WHERE campaign_id = $1 AND subject_id = $2', [campaignId, subjectId]);
    return rows[0] ?? null;
  }

  async counts(campaignId: string): Promise<Partial<Record<MemberState, number>>> {
    const rows = await this.db.query<{ state: MemberState; n: number }>(
      'SELECT state, count(*)::int AS n FROM campaign_subjects WHERE campaign_id = $1 GROUP BY state', [campaignId]);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /**
   * A page of members for listings and exports, in subject id order. The page is cut first and joined
   * after, so each page costs the same at the end of a million rows as at the start.
   */
  async rows(campaignId: string, q: { states?: readonly MemberState[]; afterId: string | null; limit: number }): Promise<MemberRow[]> {
    const params: unknown[] = [campaignId, q.limit];
    const where = ['campaign_id = $1'];
    if (q.states) where.push(`state = ANY($${params.push(q.states)}::text[])`);
    if (q.afterId) where.push(`subject_id > $${params.push(q.afterId)}`);
    const rows = await this.db.query<{
      subject_id: string; external_ref: string; state: MemberState; invited_at: Date; state_changed_at: Date; overdue_at: Date | null;
      decision: Decision | null; region: string | null; office: string | null; resolved_by: string | null;
    }>(
      `SELECT p.subject_id, s.external_ref, p.state, p.invited_at, p.state_changed_at, p.overdue_at, sub.decision,
              a.region, a.office, p.resolved_by
         FROM (SELECT * FROM campaign_subjects WHERE ${where.join(' AND ')} ORDER BY subject_id LIMIT $2) p
         JOIN subjects s ON s.id = p.subject_id
         LEFT JOIN subject_attributes a ON a.subject_id = p.subject_id
         LEFT JOIN submissions sub ON sub.id = p.submission_id
        ORDER BY p.subject_id`,
      params,
    );
    return rows.map((r) => ({
      subjectId: r.subject_id, pensionNumber: r.external_ref, state: r.state, invitedAt: r.invited_at, stateChangedAt: r.state_changed_at,
      overdueAt: r.overdue_at, decision: r.decision, region: r.region, office: r.office, resolvedBy: r.resolved_by,
    }));
  }

  /** Fresh planner statistics after a fan-out has added or changed a large share of the rows. */
  async refreshStatistics(): Promise<void> {
    await this.db.exec('ANALYZE campaign_subjects; ANALYZE campaign_deliveries');
  }
}
