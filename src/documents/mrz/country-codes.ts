/**
 * Codes an MRZ may carry for an issuing state or a nationality (ICAO Doc 9303 part 3, 5): the ISO 3166-1 alpha-3
 * codes (taken from the iso-codes package's iso_3166-1.json) and ICAO's own: D (Germany), the British-nationality
 * variants, United Nations and EU codes, XXA stateless person, XXB/XXC refugees, XXX unspecified, UTO (the
 * fictional Utopia of ICAO specimens) and RKS (Kosovo, used by several issuers).
 */
const ISO_3166_ALPHA3 = `
  ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
  BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG
  COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH
  FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
  HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
  KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
  MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR
  NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU
  SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA
  TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB
  VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
`;

const ICAO_SPECIAL = 'D GBD GBN GBO GBP GBS UNA UNK UNO EUE XBA XCC XCE XCO XEC XES XIM XMP XOM XPO XXA XXB XXC XXX UTO RKS';

export const MRZ_STATE_CODES: ReadonlySet<string> = new Set([...ISO_3166_ALPHA3.split(/\s+/), ...ICAO_SPECIAL.split(' ')].filter(Boolean));

// Letters the OCR confuses with one another in OCR-B.
const LOOK_ALIKE: readonly string[] = ['CEGOQD', 'ILTJ', 'BRP', 'MNHW', 'UVY', 'KX'];

/**
 * A state code as read, corrected to the one valid code that differs from it by a single look-alike letter (EAN ->
 * CAN, TIK -> TJK), or with its one unread letter (`?`) filled in. Kept as read when it is valid, or when no or several valid codes are that close.
 */
export function correctStateCode(code: string): string {
  if (code === '' || MRZ_STATE_CODES.has(code)) return code;
  const found = new Set<string>();
  // One unread letter (?): the one valid code that fits the others.
  if ((code.match(/\?/g) ?? []).length === 1) {
    const pattern = new RegExp(`^${code.replace('?', '[A-Z]')}$`);
    for (const c of MRZ_STATE_CODES) if (pattern.test(c)) found.add(c);
    return found.size === 1 ? [...found][0]! : code;
  }
  for (let i = 0; i < code.length; i += 1) {
    const group = LOOK_ALIKE.find((g) => g.includes(code[i]!));
    for (const alt of group ?? '') {
      if (alt === code[i]) continue;
      const candidate = code.slice(0, i) + alt + code.slice(i + 1);
      if (MRZ_STATE_CODES.has(candidate)) found.add(candidate);
    }
  }
  return found.size === 1 ? [...found][0]! : code;
}
