/**
 * MRZ read rate on the specimen documents of ../shared/datasets/documents: every image with a known MRZ is read by
 * the production reader (after the same upload normalisation the API applies) and compared with its known text.
 *
 *   npx tsx scripts/mrz-read-rate.ts [--rotate] [--show]
 *
 * --rotate also reads every image turned 90, 180 and 270 degrees; --show prints the differing lines (specimen
 * text only; the datasets README allows nothing but file names in logs, so it is off by default).
 *
 * "fully correct": every character of every line as known. "fields correct": document number, birth and expiry
 * dates exact and both names equal within the transliteration tolerance the cross-checks apply: what decides
 * whether typed fields can be verified. "number as typed": the document number would be judged a match had the
 * known number been typed (equal as the cross-checks compare, or repaired from the typed number: typed-number.ts).
 *
 * Known text, per image: from mrz_samples.json where the manifest names the sample's source and the image shows
 * that text; the ICAO 9303 "Utopia" specimens for the images that reproduce them; otherwise transcribed by eye from
 * the image (zoomed) and checked against its check digits. Images whose MRZ is not ICAO-conformant (a letter
 * outside the MRZ alphabet, a missing character) or that show no MRZ are listed as excluded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createMrzReader, namesMatch, normaliseDocumentNumber, parseMrz, withTypedNumber, type ParsedMrz } from '../src/documents/index.js';
import { normalizeUpload } from '../src/images/image-codec.js';
import { datasetsAvailable, datasetsDir } from '../test/support/datasets.js';

const ICAO_TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const ICAO_TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const CZE_2005 = ['P<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<', '99006000<8CZE1102299F16090641152291111<<<<24'];
const USA_VISA = ['VIUSATRAVELER<<HAPPYPERSON<<<<<<<<<<<<<<<<<<', '555123ABC6GBR6502056F0412236IFLND00AMS803085'];
const CAN = ['P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<', 'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08'];

type Source = 'mrz_samples' | 'icao-specimen' | 'transcribed';
interface Known { lines: string[]; source: Source }
const t = (lines: string[]): Known => ({ lines, source: 'transcribed' });
const s = (lines: string[]): Known => ({ lines, source: 'mrz_samples' });
const icao = (lines: string[]): Known => ({ lines, source: 'icao-specimen' });

/** Known MRZ per image (path relative to documents/); null: no ICAO MRZ to read, excluded from the rate. */
const KNOWN: Record<string, Known | { excluded: string }> = {
  'passporteye/0_id-esp.png': { excluded: 'MRZ prints Ñ (outside the MRZ alphabet)' },
  'passporteye/100_id-che.jpg': t(['IDCHES0002068<8<<<<<<<<<<<<<<<', '8102287F1301014CHE<<<<<<<<<<<4', 'VADIS<<QUO<<<<<<<<<<<<<<<<<<<<']),
  'passporteye/100_id-mac.jpg': t(['I<MAC12281507<0<<<<<<<<0212300', '6106225M1212307<<<<<<<<<<<<<<6', 'CHONG<<KA<KEONG<<<<<<<<<<<<<<<']),
  'passporteye/100_id-rou.jpg': t(['IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<', 'HD198025<51328505095M130509012049941']),
  'passporteye/100_id-si.jpg': t(['I<SI<09999100180706966505468<<', '6606079F0807276SI<<<<<<<<<<<<0', 'VZOREC<<TINA<<<<<<<<<<<<<<<<<<']),
  'passporteye/100_id-usa.jpg': t(['IAUSA0000000033LIN1044750079<<', '5808175F1004027COD<<<<<<<<<<<7', 'SPECIMEN<<TEST<VOID<<<<<<<<<<<']),
  'passporteye/100_pass-bdr.jpg': t(['P<BDRMUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'CA000000<4D<<6408125F1802212<<<<<<<<<<<<<<<6']),
  'passporteye/100_pass-chn.jpg': t(['P<TWNLIN<<MEI<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<', '0000000000TWN7601015F1404018A234567893<<<<18']),
  'passporteye/100_pass-cze.jpg': s(['P<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<', '99003853<1CZE1101018M1207046110101111<<<<<94']),
  'passporteye/100_pass-cze2.jpg': t(['P<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<', '99009054<4CZE6906229F16072996956220612<<<<74']),
  'passporteye/100_pass-fin.png': t(['P<FINVIRTANEN<<MARIA<OLIVIA<<<<<<<<<<<<<<<<<', 'XP82716024FIN7112214F1108213211271<426U<<<04']),
  'passporteye/100_pass-hrv.jpg': t(['P<HRVSPECIMEN<<SPECIMEN<<<<<<<<<<<<<<<<<<<<<', '0070070071HRV8212258F1407019<<<<<<<<<<<<<<06']),
  'passporteye/100_pass-isl.png': t(['P<ISLAEVARSDOTTIR<<THURIDUR<OESP<<<<<<<<<<<<', 'A0000000<0ISL6612315F0905264311266<9539<<<32']),
  'passporteye/100_pass-polx.jpg': t(['P<POLKOWALSKA<KWIATKOWSKA<<JOANNA<<<<<<<<<<<', 'AA00000000POL6002084F1412314<<<<<<<<<<<<<<<4']),
  'passporteye/100_pass-uto.jpg': icao(ICAO_TD3),
  'passporteye/100_pass2-uto.jpg': icao(ICAO_TD2),
  'passporteye/100_visa-polx.jpg': t(['VCPOLKOWALSKA<KWIATKOWSKA<<BEATA<<<<', 'PL00000008POL6002084F0505011<<<<<<<0']),
  'passporteye/100_visa-usa.jpg': s(USA_VISA),
  'passporteye/24_pass-egy.jpg': t(['P<EGYMABROUK<<ALAAELDIN<ISMAIL<MOHAMED<<<<<<', 'A000513764EGY6002202M1503151<<<<<<<<<<<<<<06']),
  'passporteye/25_pass-uto.jpg': icao(ICAO_TD3),
  'passporteye/27_pass-gbr.jpg': t(['P<GBRUNITED<KINGDOM<TWENTY<SIX<<JODIE<PIPPA<', '1071828900GBR8501178F1601312<<<<<<<<<<<<<<06']),
  'passporteye/33_id-usa.jpg': t(['C1USA0223456791EAC9730051220<<', '4910040M9411014CAN<<<<<<<<<<<0', 'CRITTENDEN<<LEE<W<<<<<<<<<<<<<']),
  'passporteye/53_id-d.jpg': t(['IDD<<T220001293<<<<<<<<<<<<<<<', '6408125<2010315D<<<<<<<<<<<<<4', 'MUSTERMANN<<ERIKA<<<<<<<<<<<<<']),
  'passporteye/77_card-cmw.png': t(['IDCMW<512849702<<<<<<<<<<<<<<<', '6104128M1402209CMW<<<<<<<<<<<1', 'PUBLIC<<JON<<<<<<<<<<<<<<<<<<<']),
  'passporteye/79_pass-can.jpg': s(CAN),
  'passporteye/98_pass-nld.jpg': t(['P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<', 'XA00000148NLD7110195F0604121123456782<<<<<02']),
  'passporteye/tests_passport_td3_jpg.jpg': icao(ICAO_TD3),
  'passporteye/tests_passport_td3_png.png': icao(ICAO_TD3),
  'passporteye/tests_passport_td2_jpg.jpg': icao(ICAO_TD2),
  'passporteye/tests_passport_td2_png.png': icao(ICAO_TD2),
  'arg0s1080_mrz/id_cards_Latvia.png': s(['I<LVAPA99929216121282<88882<<<', '8212122M1703054LVA<<<<<<<<<<<0', 'PARAUDZINS<<ANDRIS<<<<<<<<<<<<']),
  // The image shows F and OSPELTBECK where the sample text has M and OSPELT<BECK.
  'arg0s1080_mrz/id_cards_Liechtenstein.png': t(['IDLIEID98754015<<<<<<<<<<<<<<<', '8205122F1906224LIE<<<<<<<<<<<6', 'OSPELTBECK<<MARISA<<<<<<<<<<<<']),
  'arg0s1080_mrz/id_cards_Lithuania.png': t(['I<LTU11810187<346411231034<<<<', '6411231F1901012LTU<<<<<<<<<<<9', 'BASANAVICIENE<<BIRUTE<<<<<<<<<']),
  // A deliberately invalid specimen: its document-number and birth-date digits fail.
  'arg0s1080_mrz/id_cards_Malta_BAD.png': t(['IDMLT9999999<<3<9999999M<999<<', '7309258F0810245MLTD310240<<<<5', 'SPITERI<MANDY<<<<<<<<<<<<<<<<<']),
  'arg0s1080_mrz/id_cards_Peru.png': t(['I<PER70275722<2<<<<<<<<<<<<<<<', '8906120M2107165PER<<<<<<<<<<<8', 'CARDENAS<<JORGE<ANTHONY<<<<<<<']),
  'arg0s1080_mrz/id_cards_Serbia.png': s(['IDSRB95555554612902968000000<<', '6802295F1307245SRB<<<<<<<<<<<6', 'TEST<<MILICA<<<<<<<<<<<<<<<<<<']),
  'arg0s1080_mrz/id_cards_Spain.png': s(['IDESPBAA000589599999999R<<<<<<', '8001014F2501017ESP<<<<<<<<<<<7', 'ESPANOLA<ESPANOLA<<CARMEN<<<<<']),
  'arg0s1080_mrz/id_cards_Sweden.png': s(['I<SWE59000002<8198703142391<<<', '8703145M1701027SWE<<<<<<<<<<<8', 'SPECIMEN<<SVEN<<<<<<<<<<<<<<<<']),
  'arg0s1080_mrz/other_TD2_ICAO_Example.png': icao(ICAO_TD2),
  'arg0s1080_mrz/other_USA_Border_Crosser.png': t(['A3USA085043401<01<9108<<<<<<<<', '7006171F0108168<<<<<<A5AA37743', 'GONZALEZ<MENDEZ<<CRISTINA<MARI']),
  'arg0s1080_mrz/passports_Canada.png': s(CAN),
  'arg0s1080_mrz/passports_ICAO_Example.png': icao(ICAO_TD3),
  'arg0s1080_mrz/passports_Iceland.png': t(['PAISLAEVARSDOTTIR<<THURIDUR<OESP<<<<<<<<<<<<', 'A2040611<0ISL1212123F1106297121212<1239<<<66']),
  // The image's birth and expiry dates differ from the sample text (750101 / 190730).
  'arg0s1080_mrz/passports_Interpol.png': t(['P<INPSPECIMEN<<SAMPLE<<<<<<<<<<<<<<<<<<<<<<<', 'XX000000<0FRA7501012F19073021234567890<<<<70']),
  'arg0s1080_mrz/passports_Japan.png': t(['P<JPNGAIMU<<SAKURA<<<<<<<<<<<<<<<<<<<<<<<<<<', 'XS12345673JPN7902206F1603202<<<<<<<<<<<<<<02']),
  'arg0s1080_mrz/passports_Qatar.png': t(['P<QATAL<KAABI<<ALI<HAMAD<ABDULLAH<<<<<<<<<<<', '00000000<0QAT7103070M110725012345458902<<<78']),
  'arg0s1080_mrz/passports_Ukraine.png': s(['P<UKRTKACHENKO<<MARIANA<<<<<<<<<<<<<<<<<<<<<', 'XX000000<0UKR9108242F23092571234567890<<<<70']),
  'arg0s1080_mrz/resident_cards_France.png': t(['IRFRAK682T8YLO0<1105040043<<<<', '7906123F1401073SEN<<<<<<<<<<<6', 'MARTIN<<CHRISTELLE<HELENE<LAUR']),
  'arg0s1080_mrz/resident_cards_Germany.png': t(['ARD<<Y701001V51<<<<<<<<<<<<<<<', '7611027M1609189IND<<<<<<<<<<<2', 'SINGH<<JASIN<ALI<<<<<<<<<<<<<<']),
  'arg0s1080_mrz/resident_cards_Netherland.png': t(['ITNLD52151673<4VNR1234567890<<', '9404014F1106172CHE<I<28<<<<<<2', 'BELSER<<JULIETTE<HENRIKE<SOPHI']),
  'arg0s1080_mrz/resident_cards_Portugal.png': t(['IRPRT1234AZ5679<<<<<<<<<<<<<<<', '7404076F0912220BRA<<<<<<<<<<<4', 'GARCAO<DE<MAGALHAES<<INES<<<<<']),
  'arg0s1080_mrz/resident_cards_UK.png': t(['IRGBRZU12345673<<<<<<<<<<<<<<<', '6608198F0808088COU<<<<<<<<<<<6', 'SAMPLE<<SUSANNA<<<<<<<<<<<<<<<']),
  // A VOID specimen whose check digits do not verify.
  'arg0s1080_mrz/resident_cards_USA.png': t(['C1USA0000000392SRC0000000039<<', '2001010F8001022SLV<<<<<<<<<<<0', 'VOID<<VOID<<<<<<<<<<<<<<<<<<<<']),
  'arg0s1080_mrz/resident_cards_USA_Permanent.png': t(['C1USA0223456791EAC9730053465<<', '4910040M9411014CAN<<<<<<<<<<<9', 'CRITTENDEN<<LEE<W<<<<<<<<<<<<<']),
  'arg0s1080_mrz/visas_France.png': s(['VCFRASPECIMEN<<SPECIMEN<<<<<<<<<<<<<', 'F000000005UTO0311063M1401143<M300703']),
  'arg0s1080_mrz/visas_Germany.png': s(['VBD<<DEDIC<<SIDNAN<<<<<<<<<<<<<<<<<<', 'D091740530BOS8201135M9708011<2020711']),
  'arg0s1080_mrz/visas_MRVA_ICAO_Example.png': s(['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<']),
  'arg0s1080_mrz/visas_USA.png': s(['VNUSATRAVELER<<HAPPY<<<<<<<<<<<<<<<<<<<<<<<<', '1234567897CAN6612120M1407282B3XLC000FD142955']),
  'arg0s1080_mrz/visas_USA2.png': s(USA_VISA),
  'arg0s1080_mrz/visas_United_Kingdom.png': s(['VDGBRMUNIR<<FAISAL<<<<<<<<<<<<<<<<<<', 'AD07259817PAK7608151M0611165<<<<<<<<']),
  'mrz_detection/id2.jpg': t(['P<ESTMAENNIK<<MARI<LIIS<<<<<<<<<<<<<<<<<<<<<', 'KB00000003EST7501229F120522647501220010<<<02']),
  'mrz_detection/id_fail.png': { excluded: 'second line is one character short (not ICAO-conformant)' },
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient2_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient3_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient4_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient5_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient6_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient7_1300x1002.jpg': t(CZE_2005),
  'doubango_ultimatemrz/Passport-Australia_1280x720.jpg': t(['P<AUSCITIZEN<<JANE<<<<<<<<<<<<<<<<<<<<<<<<<<', 'PA09404433AUS8406077F1903212<17332717P<<<<68']),
  'doubango_ultimatemrz/Passport-France_1200x864.jpg': { excluded: 'closed passport cover, no MRZ' },
};

interface Row {
  file: string;
  rotation: number;
  format: string;
  docType: string;
  exact: boolean;
  /** Number and dates exact, names equal within the cross-checks' transliteration tolerance. */
  fieldsOk: boolean;
  /** The number would match had the known number been typed. */
  numberAsTyped: boolean;
  found: boolean;
  charAccuracy: number;
  checksValid: boolean;
  confidence: number;
  ms: number;
  cpuMs: number;
  diff: string[];
}

/** Whether a reading carries the fields the cross-checks use as the known text has them. */
function sameFields(got: ParsedMrz | null, want: ParsedMrz | null): boolean {
  if (!got || !want) return false;
  const g = got.fields;
  const w = want.fields;
  return g.documentNumber === w.documentNumber && g.dateOfBirth === w.dateOfBirth && g.expiryDate === w.expiryDate &&
    namesMatch(w.surname, g.surname) && namesMatch(w.givenNames, g.givenNames);
}

/** Whether the enrolment's cross-check would count `typedNumber` as the reading's number. */
function numberMatchesTyped(got: ParsedMrz | null, typedNumber: string): boolean {
  if (!got) return false;
  const same = got.checks.documentNumber !== false && normaliseDocumentNumber(got.fields.documentNumber) === normaliseDocumentNumber(typedNumber);
  return same || withTypedNumber(got, typedNumber) !== null;
}

const formatOf = (lines: string[]) =>
  lines.length === 3 ? 'TD1' : lines[0]!.length === 36 ? (lines[0]!.startsWith('V') ? 'MRV-B' : 'TD2') : lines[0]!.startsWith('V') ? 'MRV-A' : 'TD3';

async function main(): Promise<void> {
  if (!datasetsAvailable()) {
    console.error(`datasets not found at ${datasetsDir()}: put ../shared/datasets next to the repo or set ZINDA_DATASETS_DIR`);
    process.exit(2);
  }
  const rotate = process.argv.includes('--rotate');
  const show = process.argv.includes('--show');
  const root = path.join(datasetsDir(), 'documents');
  const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as { images: { file: string; doc_type?: string }[] };
  const reader = await createMrzReader();
  const rows: Row[] = [];
  const excluded: string[] = [];
  try {
    for (const image of manifest.images) {
      const known = KNOWN[image.file];
      if (!known) throw new Error(`no known MRZ recorded for ${image.file}`);
      if ('excluded' in known) {
        excluded.push(`${image.file}: ${known.excluded}`);
        continue;
      }
      const upload = await normalizeUpload(readFileSync(path.join(root, image.file)), 'document', { maxPixels: 40_000_000, maxSide: 2000 });
      for (const rotation of rotate ? [0, 90, 180, 270] : [0]) {
        const jpeg = rotation === 0 ? upload.jpeg : await sharp(upload.jpeg).rotate(rotation).jpeg({ quality: 92 }).toBuffer();
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const reading = await reader.read(jpeg);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const got = reading?.parsed.lines ?? [];
        const want = known.lines;
        let same = 0;
        const total = want.join('').length;
        want.forEach((line, i) => { for (let k = 0; k < line.length; k += 1) if (got[i]?.[k] === line[k]) same += 1; });
        const exact = got.length === want.length && got.every((l, i) => l === want[i]);
        rows.push({
          file: image.file, rotation, format: formatOf(want), docType: image.doc_type ?? '?', exact, found: reading !== null,
          fieldsOk: sameFields(reading?.parsed ?? null, parseMrz(want)),
          numberAsTyped: numberMatchesTyped(reading?.parsed ?? null, parseMrz(want)!.fields.documentNumber),
          charAccuracy: same / total, checksValid: reading?.parsed.valid ?? false, confidence: reading?.confidence ?? 0, ms,
          cpuMs: (cpu.user + cpu.system) / 1000,
          diff: exact ? [] : want.flatMap((line, i) => (got[i] === line ? [] : [`  want ${line}`, `  got  ${got[i] ?? '(none)'}`])),
        });
        const r = rows[rows.length - 1]!;
        console.log(
          `${r.exact ? 'OK  ' : r.found ? 'DIFF' : 'NONE'} ${image.file}${rotation ? ` @${rotation}` : ''}  chars ${(r.charAccuracy * 100).toFixed(1)}%` +
            `  checks ${r.checksValid ? 'valid' : 'fail'}  conf ${r.confidence.toFixed(2)}  ${ms.toFixed(0)} ms`,
        );
        if (show) for (const d of r.diff) console.log(d);
      }
    }
  } finally {
    await reader.close();
  }
  summarise(rows, 'format', (r) => r.format);
  summarise(rows, 'document kind (manifest doc_type)', (r) => r.docType);
  if (rotate) summarise(rows, 'rotation', (r) => `${r.rotation}°`);
  const stats = (values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    return `median ${v[Math.floor(v.length / 2)]!.toFixed(0)} ms, p90 ${v[Math.floor(v.length * 0.9)]!.toFixed(0)} ms, max ${v[v.length - 1]!.toFixed(0)} ms`;
  };
  // Skip the first page: it pays for the OCR worker's warm-up.
  console.log(`\ntime per page (wall): ${stats(rows.slice(1).map((r) => r.ms))}`);
  console.log(`CPU per page (all threads): ${stats(rows.slice(1).map((r) => r.cpuMs))}`);
  console.log(`excluded (${excluded.length}):\n  ${excluded.join('\n  ')}`);
}

function summarise(rows: Row[], title: string, key: (r: Row) => string): void {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  console.log(`\nby ${title}:`);
  for (const [name, list] of [...groups].sort()) line(name, list);
  line('all', rows);
}

function line(name: string, list: Row[]): void {
  const exact = list.filter((r) => r.exact).length;
  const fields = list.filter((r) => r.fieldsOk).length;
  const found = list.filter((r) => r.found).length;
  const numberAsTyped = list.filter((r) => r.numberAsTyped).length;
  const chars = list.reduce((s, r) => s + r.charAccuracy, 0) / list.length;
  const wrongButValid = list.filter((r) => !r.exact && r.checksValid).length;
  console.log(
    `  ${name.padEnd(18)} ${String(exact).padStart(3)}/${String(list.length).padEnd(3)} fully correct   ${String(fields).padStart(3)}/${list.length} fields correct` +
      `   number as typed ${numberAsTyped}/${list.length}   MRZ found ${found}/${list.length}   characters ${(chars * 100).toFixed(1)}%   wrong yet all check digits valid: ${wrongButValid}`,
  );
}

await main();
