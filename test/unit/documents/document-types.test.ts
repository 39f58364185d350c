import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_TYPES, loadDocumentTypes } from '../../../src/documents/types/document-type.schema.js';
import { typedDocumentFieldsSchema } from '../../../src/documents/types/typed-fields.schema.js';

const shipped = JSON.parse(readFileSync(new URL('../../../src/documents/types/document-types.json', import.meta.url), 'utf8')) as {
  types: Record<string, unknown>[];
};

describe('document types as data', () => {
  it('ships every document a pensioner may hold, with names in Tajik, Russian and English', () => {
    expect([...DOCUMENT_TYPES.keys()]).toEqual([
      'tj_passport', 'tj_id_card', 'foreign_passport', 'tj_residence_permit', 'tj_residence_permit_stateless',
      'stateless_travel_document', 'stateless_certificate',
    ]);
    for (const t of DOCUMENT_TYPES.values()) expect(Object.keys(t.names)).toEqual(['tg', 'ru', 'en']);
    expect(DOCUMENT_TYPES.get('tj_passport')!.mrz).toMatchObject({ formats: ['TD3'], issuingStates: ['TJK'] });
    expect(DOCUMENT_TYPES.get('tj_id_card')!.mrz!.formats).toEqual(['TD1']);
    expect(DOCUMENT_TYPES.get('tj_residence_permit')!.mrz!.formats).toEqual(['TD1', 'TD2']);
    expect(DOCUMENT_TYPES.get('stateless_certificate')!.mrz).toBeNull();
  });

  it('takes a new type from the data alone', () => {
    const added = {
      code: 'kg_passport', names: { tg: 'Шиносномаи Қирғизистон', ru: 'Паспорт Кыргызстана', en: 'Kyrgyz passport' },
      holder: 'foreign_national', mrz: { formats: ['TD3'], documentCode: '^P', issuingStates: ['KGZ'] },
      fields: ['number', 'surname', 'givenNames', 'dateOfBirth', 'expiryDate'],
    };
    const types = loadDocumentTypes({ ...shipped, types: [...shipped.types, added] });
    expect(types.get('kg_passport')?.mrz?.issuingStates).toEqual(['KGZ']);
  });

  it('refuses a bad file, listing every problem', () => {
    const bad = {
      version: 1,
      types: [
        { ...shipped.types[0], mrz: { formats: ['TD4'], documentCode: '(', issuingStates: ['TAJ'] } },
        { ...shipped.types[1], fields: ['portrait'] },
      ],
    };
    expect(() => loadDocumentTypes(bad)).toThrow(/formats[\s\S]*documentCode[\s\S]*issuingStates[\s\S]*must carry number/);
    expect(() => loadDocumentTypes({ version: 1, types: [shipped.types[0], shipped.types[0]] })).toThrow(/duplicate code tj_passport/);
  });

  it('validates typed fields against the known types and the MRZ shapes', () => {
    const typed = { documentType: 'tj_passport', number: 'a1234567', surname: 'Раҳимов', givenNames: 'Азиз', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01' };
    expect(typedDocumentFieldsSchema.parse(typed).number).toBe('A1234567');
    expect(typedDocumentFieldsSchema.safeParse({ ...typed, documentType: 'library_card' }).success).toBe(false);
    expect(typedDocumentFieldsSchema.safeParse({ ...typed, expiryDate: null }).success).toBe(true);
    expect(typedDocumentFieldsSchema.safeParse({ ...typed, mrz: ['P<TJK', 'A123'] }).success).toBe(false);
  });
});
