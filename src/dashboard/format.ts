import { escapeHtml as e } from '../shared/views/html.js';
import type { DashboardLanguage, PluralForms } from './i18n.js';
import { AUDIT_ACTION_PHRASES, TARGET_PHRASES } from './terms/audit-actions.js';
import { REASON_PHRASES, type Phrase } from './terms/reasons.js';
import { TERMS, type TermGroup } from './terms/terms.js';

const LANG_INDEX: Record<DashboardLanguage, 0 | 1 | 2> = { en: 0, ru: 1, tg: 2 };
const GENERIC: Record<'reason' | 'action' | 'term', Phrase> = {
  reason: ['Another finding', 'Другое замечание', 'Мушоҳидаи дигар'],
  action: ['Other action', 'Другое действие', 'Амали дигар'],
  term: ['other', 'другое', 'дигар'],
};
const CITY: Readonly<Record<string, Phrase>> = { 'Asia/Dushanbe': ['Dushanbe', 'Душанбе', 'Душанбе'] };

const made = new Map<string, Formatter>();

/** The formatter of one language and zone (built once: Intl formats are costly to create per request). */
export function formatterFor(lang: DashboardLanguage, timeZone: string): Formatter {
  const key = `${lang} ${timeZone}`;
  let f = made.get(key);
  if (!f) made.set(key, (f = new Formatter(lang, timeZone)));
  return f;
}

/** Numbers, counts, dates and codes as the reader's language writes them; times in the office's zone. */
export class Formatter {
  private readonly index: 0 | 1 | 2;
  private readonly plurals: Intl.PluralRules;
  private readonly stamp: Intl.DateTimeFormat;
  private readonly day: Intl.DateTimeFormat;
  private readonly city: string;
  private readonly offset: Intl.DateTimeFormat;
  private readonly languages: Intl.DisplayNames;

  constructor(readonly lang: DashboardLanguage, readonly timeZone: string) {
    this.index = LANG_INDEX[lang];
    this.plurals = new Intl.PluralRules(lang);
    this.stamp = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone, hourCycle: 'h23' });
    this.day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    this.offset = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'shortOffset' });
    this.languages = new Intl.DisplayNames([lang], { type: 'language' });
    this.city = CITY[timeZone]?.[this.index] ?? (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
  }

  /** The office zone as the reader sees it now, e.g. "Душанбе, GMT+5" (the offset follows daylight saving). */
  get zoneLabel(): string {
    return `${this.city}, ${this.offset.formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? ''}`;
  }

  /** A language's name in the reader's language ("таджикский"), or the code where the runtime has none. */
  language(code: string): string {
    return this.languages.of(code) ?? code;
  }

  private readonly numbers = new Map<number, Intl.NumberFormat>();

  number(x: number, digits = 0): string {
    let f = this.numbers.get(digits);
    if (!f) this.numbers.set(digits, (f = new Intl.NumberFormat(this.lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
    return f.format(x);
  }

  /** "5 лиц", "1 лицо": the number and the word in the form the language asks for. */
  count(n: number, forms: PluralForms): string {
    return `${this.number(n)} ${forms[this.plurals.select(n)] ?? forms.other}`;
  }

  /** A moment in the office's time zone (the zone is named once per page, see zoneLabel). */
  dateTime(at: Date | string): string {
    const d = typeof at === 'string' ? new Date(at) : at;
    return Number.isNaN(d.getTime()) ? String(at) : this.stamp.format(d);
  }

  /** A calendar date (YYYY-MM-DD, no time zone), e.g. a date of birth. */
  date(iso: string): string {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : null;
    return d && !Number.isNaN(d.getTime()) ? this.day.format(d) : iso;
  }

  phrase(p: Phrase): string {
    return p[this.index];
  }

  /** A word for a code of a fixed vocabulary, HTML-escaped, with the code in a tooltip for support. */
  term(group: TermGroup, code: string | null | undefined): string {
    if (!code) return '—';
    const words = (TERMS[group] as Readonly<Record<string, Phrase>>)[code];
    return `<span title="${e(code)}">${e(words?.[this.index] ?? GENERIC.term[this.index])}</span>`;
  }

  /** A reason code as a plain sentence; reviewer outcomes appear as REVIEW_<reason>. */
  reasonText(code: string): string {
    return (REASON_PHRASES[code] ?? REASON_PHRASES[code.replace(/^REVIEW_/, '')] ?? GENERIC.reason)[this.index];
  }

  /** A reason code as a sentence in HTML, the code in a tooltip. */
  reason(code: string): string {
    return `<span class="reason" title="${e(code)}">${e(this.reasonText(code))}</span>`;
  }

  action(code: string): string {
    return `<span title="${e(code)}">${e((AUDIT_ACTION_PHRASES[code] ?? GENERIC.action)[this.index])}</span>`;
  }

  target(type: string | null): string {
    return type ? `<span title="${e(type)}">${e((TARGET_PHRASES[type] ?? GENERIC.term)[this.index])}</span>` : '';
  }

  /** Plain text of an error code (for flashes), falling back to a general sentence. */
  error(code: string): string {
    const errors = TERMS.error as Readonly<Record<string, Phrase>>;
    return (errors[code] ?? errors.OTHER!)[this.index];
  }
}
