import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../../src/domain/campaigns/webhook-signature.js';
import { csvField } from '../../../../src/domain/campaigns/overdue-export.js';

const secret = 'a-secret-of-the-office-at-least-32-chars';

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over "<t>.<body>", as any receiver can recompute', () => {
    const body = '{"id":"x"}';
    const header = signWebhook(secret, body, 1_800_000_000);
    const mac = createHmac('sha256', secret).update(`1800000000.${body}`).digest('hex');
    expect(header).toBe(`t=1800000000,v1=${mac}`);
    expect(verifyWebhook(secret, body, header, 1_800_000_010)).toBe(true);
  });

  it('fail for another body, another secret, an old timestamp or a malformed header', () => {
    const header = signWebhook(secret, 'a', 1_800_000_000);
    expect(verifyWebhook(secret, 'b', header, 1_800_000_000)).toBe(false);
    expect(verifyWebhook(`${secret}!`, 'a', header, 1_800_000_000)).toBe(false);
    expect(verifyWebhook(secret, 'a', header, 1_800_000_000 + 301)).toBe(false);
    expect(verifyWebhook(secret, 'a', 'v1=abc', 1_800_000_000)).toBe(false);
    expect(verifyWebhook(secret, 'a', undefined, 1_800_000_000)).toBe(false);
  });
});

describe('CSV fields of the overdue export', () => {
  it('quote separators and defuse spreadsheet formulas', () => {
    expect(csvField('PN-1001')).toBe('PN-1001');
    expect(csvField('Khatlon, South')).toBe('"Khatlon, South"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
  });
});
