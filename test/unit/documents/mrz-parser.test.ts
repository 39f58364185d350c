import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMrz } from '../../../src/documents/mrz/mrz-parser.js';
import { datasetsDir, describeIfDatasets } from '../../support/datasets.js';
import { ICAO_TD1, ICAO_TD2, ICAO_TD3, RAHIMOV, td1, td3 } from './mrz-fixtures.js';

describe('MRZ parsing', () => {
  it('reads every field of a TD3 passport and verifies its five check digits', () => {
    const mrz = parseMrz(ICAO_TD3)!;
    expect(mrz.format).toBe('TD3');
    expect(mrz.fields).toEqual({
      documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO', dateOfBirth: '740812', sex: 'F',
      expiryDate: '120415', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', optionalData: ['ZE184226B'],
    });
    expect(mrz.checks).toEqual({ documentNumber: true, dateOfBirth: true, expiryDate: true, personalNumber: true, composite: true });
    expect(mrz.valid).toBe(true);
  });

  it('reads TD2 and TD1 cards', () => {
    expect(parseMrz(ICAO_TD2)).toMatchObject({ format: 'TD2', valid: true, fields: { documentNumber: 'D23145890', surname: 'ERIKSSON' } });
    const card = parseMrz(ICAO_TD1)!;
    expect(card).toMatchObject({ format: 'TD1', valid: true, fields: { documentCode: 'I', givenNames: 'ANNA MARIA', nationality: 'UTO' } });
    expect(Object.keys(card.checks)).toEqual(['documentNumber', 'dateOfBirth', 'expiryDate', 'composite']);
  });

  it('tells a visa from a passport of the same size by its document code, without a composite digit', () => {
    const visa = parseMrz(['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'])!;
    expect(visa.format).toBe('MRV-A');
    expect(visa.checks).toEqual({ documentNumber: true, dateOfBirth: true, expiryDate: true });
  });

  it('joins a TD1 document number longer than 9 characters from the optional data', () => {
    const mrz = parseMrz(['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'])!;
    expect(mrz.fields.documentNumber).toBe('D23145890734');
    expect(mrz.checks.documentNumber).toBe(true);
  });

  it('reports each failing check digit', () => {
    const [l1, l2] = td3(RAHIMOV) as [string, string];
    const wrongBirth = `${l2.slice(0, 19)}${(Number(l2[19]) + 1) % 10}${l2.slice(20)}`;
    const mrz = parseMrz([l1, wrongBirth])!;
    expect(mrz.checks).toMatchObject({ documentNumber: true, dateOfBirth: false, expiryDate: true, composite: false });
    expect(mrz.valid).toBe(false);
  });

  it('builds synthetic Tajik documents that verify', () => {
    expect(parseMrz(td3(RAHIMOV))).toMatchObject({ valid: true, fields: { issuingState: 'TJK', surname: 'RAHIMOV', givenNames: 'AZIZ' } });
    expect(parseMrz(td1(RAHIMOV))).toMatchObject({ format: 'TD1', valid: true, fields: { documentNumber: 'A1234567' } });
  });

  it('refuses blocks that are not an ICAO shape or hold other characters', () => {
    expect(parseMrz(['P<UTO', 'L898'])).toBeNull();
    expect(parseMrz([ICAO_TD3[0]!, ICAO_TD3[1]!.slice(1)])).toBeNull();
    expect(parseMrz([ICAO_TD3[0]!.toLowerCase(), ICAO_TD3[1]!])).toBeNull();
    expect(parseMrz([...ICAO_TD3, ICAO_TD3[1]!])).toBeNull();
  });
});

interface Sample {
  mrz: string[];
  format: string;
  checks: Record<string, boolean>;
  all_checks_valid: boolean;
  source_repo: string;
  source_path: string;
}

const SAMPLES = path.join(datasetsDir(), 'documents', 'mrz_samples.json');
const CHECK_NAMES: Record<string, string> = {
  document_number: 'documentNumber', birth_date: 'dateOfBirth', expiry_date: 'expiryDate', personal_number: 'personalNumber', composite: 'composite',
};

describeIfDatasets('MRZ samples of ../shared/datasets/documents/mrz_samples.json (datasets)', () => {
  const samples = existsSync(SAMPLES) ? (JSON.parse(readFileSync(SAMPLES, 'utf8')) as { samples: Sample[] }).samples : [];

  it('has samples to test', () => {
    expect(samples.length).toBeGreaterThan(40);
  });

  it.each(samples.map((s, i) => [`${i} ${s.format} ${path.basename(s.source_path)}`, s] as const))('%s parses with the recorded verdicts', (_, sample) => {
    const mrz = parseMrz(sample.mrz);
    expect(mrz).not.toBeNull();
    expect(mrz!.format).toBe(sample.format);
    const expected = Object.fromEntries(Object.entries(sample.checks).map(([k, v]) => [CHECK_NAMES[k] ?? k, v]));
    expect(mrz!.checks).toEqual(expected);
    expect(mrz!.valid).toBe(sample.all_checks_valid);
  });
});
