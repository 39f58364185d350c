/**
 * Names typed in Tajik or Russian Cyrillic (or in Latin, by hand) compared with the Latin names of an MRZ. There is
 * no single transliteration: Tajik passports write Ҳ as H, Russian-style ones Х as KH, others use X; Ғ is GH or G,
 * Қ is Q or K, Ҷ is J, DJ or DZH, Ё is E or YO. Both sides are therefore reduced to a phonetic skeleton in which
 * these variants coincide, and a small edit distance is tolerated.
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ғ: 'GH', Ґ: 'G', Д: 'D', Е: 'E', Ё: 'YO', Є: 'YE', Ж: 'ZH', З: 'Z', И: 'I', Ӣ: 'I',
  І: 'I', Ї: 'YI', Й: 'Y', К: 'K', Қ: 'Q', Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U',
  Ӯ: 'U', Ў: 'U', Ф: 'F', Х: 'KH', Ҳ: 'H', Ц: 'TS', Ч: 'CH', Ҷ: 'J', Ш: 'SH', Щ: 'SHCH', Ъ: '', Ы: 'Y', Ь: '',
  Э: 'E', Ю: 'YU', Я: 'YA',
};

const LATIN_SPECIAL: Readonly<Record<string, string>> = { ß: 'SS', Æ: 'AE', Ø: 'OE', Œ: 'OE', Ð: 'D', Þ: 'TH', Ł: 'L', Ĳ: 'IJ' };

/**
 * Upper-case Latin letters and spaces: Cyrillic transliterated (Tajik letters included), Latin diacritics removed,
 * everything else (hyphens, apostrophes, MRZ fillers) a space.
 */
export function latinize(name: string): string {
  let out = '';
  for (const ch of name.toUpperCase()) {
    const mapped = CYRILLIC[ch] ?? LATIN_SPECIAL[ch];
    if (mapped !== undefined) out += mapped;
    else out += ch.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return out.replace(/[^A-Z]+/g, ' ').trim();
}

// Applied in order: longer sequences first. Each maps spelling variants of one sound to one letter.
const SKELETON_RULES: readonly [RegExp, string][] = [
  [/SHCH|SCH/g, 'S'],
  [/DZH|DJ|ZH|DZ/g, 'J'],
  [/KH|X/g, 'H'],
  [/GH/g, 'G'],
  [/TCH|CH|TS|TZ|C/g, 'C'],
  [/SH/g, 'S'],
  [/[YI]U/g, 'U'],
  [/[YI]A/g, 'A'],
  [/[YI]O/g, 'O'],
  [/[YI]E/g, 'E'],
  [/Q/g, 'K'],
  [/W/g, 'V'],
  [/Y/g, 'I'],
  [/PH/g, 'F'],
  [/(.)\1+/g, '$1'],
];

/** The phonetic skeleton of a name (see the module comment); spaces kept between name parts. */
export function skeleton(name: string): string {
  return latinize(name)
    .split(' ')
    .filter(Boolean)
    .map((part) => SKELETON_RULES.reduce((s, [re, to]) => s.replace(re, to), part))
    .join(' ');
}

/** Levenshtein distance, for the short strings names are. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Edits tolerated between skeletons: none for short names, one from 4 letters, two from 9. */
const tolerance = (length: number) => (length >= 9 ? 2 : length >= 4 ? 1 : 0);

/**
 * Equal within the tolerance, except that a final A more or less is never tolerated: RAHIMOV and RAHIMOVA are the
 * masculine and feminine forms of a surname, two people.
 */
function close(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === `${b}A` || b === `${a}A`) return false;
  return editDistance(a, b) <= tolerance(Math.min(a.length, b.length));
}

export interface NameMatchOptions {
  /**
   * The MRZ ran out of room (its name field has no trailing filler): the MRZ name may be a truncation of the typed
   * one.
   */
  readonly truncated?: boolean;
  /**
   * Given names: one side may carry more parts than the other (a patronymic, a second given name); the parts both
   * have must agree, the first one included.
   */
  readonly partial?: boolean;
}

/**
 * Whether a typed name (any script) and an MRZ name (Latin, parts separated by spaces) name the same person,
 * within transliteration variants and a small edit distance. Part boundaries are ignored (OSPELT-BECK, OSPELT<BECK
 * and OSPELTBECK agree).
 */
export function namesMatch(typed: string, mrz: string, options: NameMatchOptions = {}): boolean {
  const a = skeleton(typed);
  const b = skeleton(mrz);
  if (a === '' || b === '') return a === b;
  const joinedA = a.replace(/ /g, '');
  const joinedB = b.replace(/ /g, '');
  if (close(joinedA, joinedB)) return true;
  if (options.truncated && joinedB.length >= 3 && joinedA.startsWith(joinedB)) return true;
  if (options.partial) {
    const partsA = a.split(' ');
    const partsB = b.split(' ');
    const shorter = partsA.length <= partsB.length ? partsA : partsB;
    const longer = shorter === partsA ? partsB : partsA;
    return shorter.every((part, i) => close(part, longer[i]!));
  }
  return false;
}
