import { describe, expect, it } from 'vitest';
import { passportSchema } from '../../../src/domain/subjects/passport.js';

const valid = { number: 'a1234567', surname: 'Раҳимов', givenNames: 'Азиз', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01' };

describe('passport fields', () => {
  it('accepts Tajik Cyrillic names and normalises the number', () => {
    expect(passportSchema.parse(valid).number).toBe('A1234567');
  });

  it('rejects impossible dates, control characters and unknown fields', () => {
    expect(passportSchema.safeParse({ ...valid, dateOfBirth: '1955-02-30' }).success).toBe(false);
    expect(passportSchema.safeParse({ ...valid, surname: 'Ra\u0000himov' }).success).toBe(false);
    expect(passportSchema.safeParse({ ...valid, nationality: 'TJK' }).success).toBe(false);
  });

  it('accepts MRZ lines only in the MRZ alphabet', () => {
    const mrz = ['P<TJKRAHIMOV<<AZIZ<<<<<<<<<<<<<<<<<<<<<<<<<', 'A12345674TJK5503143M3001012<<<<<<<<<<<<<<02'];
    expect(passportSchema.safeParse({ ...valid, mrz }).success).toBe(true);
    expect(passportSchema.safeParse({ ...valid, mrz: ['p<tjk', 'x'] }).success).toBe(false);
  });
});
