import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { closesAt, type Campaign, type MemberState } from './campaign.js';
import type { CampaignPorts, MemberRow } from './campaign-ports.js';

const COLUMNS = ['pension_number', 'campaign_id', 'state', 'due_at', 'closes_at', 'overdue_since', 'last_decision', 'region', 'office'] as const;

/** A CSV field, quoted when needed; a leading = + @ or control character is defused for spreadsheets. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function record(c: Campaign, r: MemberRow) {
  return {
    pension_number: r.pensionNumber, campaign_id: c.id, state: r.state, due_at: c.dueAt.toISOString(), closes_at: closesAt(c).toISOString(),
    overdue_since: r.overdueAt?.toISOString() ?? null, last_decision: r.decision, region: r.region, office: r.office,
  };
}

export interface OverdueExporterDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly audit: AuditService;
  /** Members read per page: memory stays bounded by one page whatever the campaign's size. */
  readonly pageSize: number;
}

/**
 * Streams a campaign's members in one state (overdue, for the payment system) as CSV or JSON, page
 * by page in bounded memory. The export is audited (who took the list, how many rows were in it).
 */
export class OverdueExporter {
  constructor(private readonly deps: OverdueExporterDeps) {}

  async *export(campaign: Campaign, format: 'csv' | 'json', actor: Actor, state: MemberState = 'overdue'): AsyncGenerator<string> {
    const ports = this.deps.uow.ports;
    const count = (await ports.members.counts(campaign.id))[state] ?? 0;
    await this.deps.audit.record({
      actor, action: 'campaign.overdue-exported', targetType: 'campaign', targetId: campaign.id, outcome: 'success',
      details: { format, state, rows: count },
    });
    if (format === 'csv') yield `${COLUMNS.join(',')}\r\n`;
    else yield `{"campaignId":${JSON.stringify(campaign.id)},"state":${JSON.stringify(state)},"subjects":[`;
    let after: string | null = null;
    let first = true;
    for (;;) {
      const rows = await ports.members.rows(campaign.id, { states: [state], afterId: after, limit: this.deps.pageSize });
      if (!rows.length) break;
      let chunk = '';
      for (const r of rows) {
        const rec = record(campaign, r);
        if (format === 'csv') chunk += `${COLUMNS.map((k) => csvField(rec[k])).join(',')}\r\n`;
        else chunk += `${first ? '' : ','}${JSON.stringify(rec)}`;
        first = false;
      }
      yield chunk;
      after = rows[rows.length - 1]!.subjectId;
    }
    if (format === 'json') yield ']}';
  }
}
