import { computeCheckDigit } from '../../../src/documents/mrz/check-digit.js';

const cd = (s: string) => String(computeCheckDigit(s));

/** ICAO 9303 part 4 specimen (Utopia), TD3. */
export const ICAO_TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
/** ICAO 9303 part 6 specimen, TD2. */
export const ICAO_TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
/** ICAO 9303 part 5 specimen, TD1. */
export const ICAO_TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

export interface Holder {
  surname: string;
  givenNames: string;
  number: string;
  nationality: string;
  issuer?: string;
  /** YYMMDD */
  birth: string;
  sex: 'M' | 'F' | '<';
  /** YYMMDD */
  expiry: string;
  documentCode?: string;
}

const name = (h: Holder) => `${h.surname.replace(/ /g, '<')}<<${h.givenNames.replace(/ /g, '<')}`;

/** A TD3 (passport) MRZ with correct check digits. */
export function td3(h: Holder): string[] {
  const code = (h.documentCode ?? 'P').padEnd(2, '<');
  const l1 = `${code}${h.issuer ?? h.nationality}${name(h)}`.padEnd(44, '<').slice(0, 44);
  const doc = h.number.padEnd(9, '<');
  const personal = '<'.repeat(14);
  const body = `${doc}${cd(doc)}`;
  const dob = `${h.birth}${cd(h.birth)}`;
  const exp = `${h.expiry}${cd(h.expiry)}`;
  const pn = `${personal}<`;
  return [l1, `${body}${h.nationality.padEnd(3, '<')}${dob}${h.sex}${exp}${pn}${cd(body + dob + exp + pn)}`];
}

/** A TD1 (card) MRZ with correct check digits. */
export function td1(h: Holder): string[] {
  const code = (h.documentCode ?? 'I').padEnd(2, '<');
  const doc = h.number.padEnd(9, '<');
  const l1 = `${code}${(h.issuer ?? h.nationality).padEnd(3, '<')}${doc}${cd(doc)}`.padEnd(30, '<');
  const dob = `${h.birth}${cd(h.birth)}`;
  const exp = `${h.expiry}${cd(h.expiry)}`;
  const l2head = `${dob}${h.sex}${exp}${h.nationality.padEnd(3, '<')}`.padEnd(29, '<');
  const composite = cd(l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29));
  return [l1, `${l2head}${composite}`, name(h).padEnd(30, '<').slice(0, 30)];
}

export const RAHIMOV: Holder = { surname: 'RAHIMOV', givenNames: 'AZIZ', number: 'A1234567', nationality: 'TJK', birth: '550314', sex: 'M', expiry: '300101' };
