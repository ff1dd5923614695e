// Patient search for the front desk: any part of a name (prefix match), date of birth, phone or
// MRN, ranked by FTS5's bm25; when exact and prefix matches are few, names within one or two
// typing errors are added (from the index's own vocabulary, kept in memory).
import type { PatientSummary, SearchResults } from '../../../shared/domain/patient';
import type { ReadableDb } from '../db/connection';
import { summaryColumns, toSummary, type PatientRow } from './patient-repository';

/** The same folding FTS5's unicode61 tokenizer applies (case, diacritics, punctuation). */
export function nameTerms(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Recognises 1980-03-07, 03/07/1980 and 3-7-1980 (month first, as US clinics write it). */
export function parseDate(token: string): string | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(token))) [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(iso) ? iso : null;
}

/** Optimal string alignment distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j] as number;
    prev = cur;
  }
  return prev[b.length] as number;
}

const allowedTypos = (term: string): number => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0);
const quote = (t: string): string => `"${t.replace(/"/g, '""')}"`;

interface Parsed {
  names: string[];
  numbers: string[];
  dob: string | null;
}

function parseQuery(query: string): Parsed {
  const whole = query.trim();
  const wholeDate = parseDate(whole);
  if (wholeDate) return { names: [], numbers: [], dob: wholeDate };
  // A phone number is typed with spaces, dashes and brackets: take the whole query as one.
  if (/^[+\d\s().-]+$/.test(whole) && /\d/.test(whole)) return { names: [], numbers: [whole.replace(/\D/g, '')], dob: null };
  const parsed: Parsed = { names: [], numbers: [], dob: null };
  for (const token of whole.split(/[\s,;]+/).filter(Boolean)) {
    const date = parseDate(token);
    if (date) parsed.dob = date;
    else if (/^\+?\d+$/.test(token)) parsed.numbers.push(token.replace(/\D/g, ''));
    else parsed.names.push(...nameTerms(token));
  }
  return parsed;
}

/** MRNs are nine digits with leading zeros (mrn.ts): a number typed without them still finds its MRN. */
const MRN_DIGITS = 9;
function numberGroup(n: string): string {
  const padded = n.length < MRN_DIGITS ? n.padStart(MRN_DIGITS, '0') : null;
  return padded ? `numbers : (${quote(n)}* OR ${quote(padded)})` : `numbers : ${quote(n)}*`;
}

export class PatientSearchIndex {
  private vocabulary: Set<string> | null = null;

  constructor(private readonly db: ReadableDb) {}

  /** Keeps the typo vocabulary current after a patient write, without reloading it. */
  noteNames(...texts: string[]): void {
    if (!this.vocabulary) return;
    for (const t of texts) for (const term of nameTerms(t)) this.vocabulary.add(term);
  }

  /** Names arrived from elsewhere (sync): the vocabulary is reloaded on the next fuzzy search. */
  forgetVocabulary(): void {
    this.vocabulary = null;
  }

  async search(query: string, limit: number): Promise<SearchResults> {
    const q = parseQuery(query);
    if (q.names.length === 0 && q.numbers.length === 0) {
      if (!q.dob) return { results: [], fuzzy: false };
      const rows = await this.db.all<PatientRow>(
        `SELECT ${summaryColumns} FROM patients WHERE date_of_birth = ? AND merged_into IS NULL ORDER BY family_name, given_names LIMIT ?`,
        [q.dob, limit],
      );
      return { results: rows.map(toSummary), fuzzy: false };
    }
    const exactGroups = [...q.names.map((t) => `names : ${quote(t)}*`), ...q.numbers.map(numberGroup)];
    const exact = await this.run(exactGroups, q.dob, limit, q.names[0]);
    const typoTerms = q.names.filter((t) => allowedTypos(t) > 0);
    if (exact.length >= Math.min(limit, 10) || typoTerms.length === 0) return { results: exact, fuzzy: false };

    const vocab = await this.loadVocabulary();
    const fuzzyGroups = q.names.map((t) => {
      const max = allowedTypos(t);
      const near = max === 0 ? [] : [...vocab].filter((v) => v !== t && editDistance(t, v, max) <= max).slice(0, 30);
      return `names : (${[`${quote(t)}*`, ...near.map(quote)].join(' OR ')})`;
    });
    const more = await this.run([...fuzzyGroups, ...q.numbers.map(numberGroup)], q.dob, limit, q.names[0]);
    const seen = new Set(exact.map((r) => r.id));
    const results = [...exact, ...more.filter((r) => !seen.has(r.id))].slice(0, limit);
    return { results, fuzzy: results.length > exact.length };
  }

  /**
   * `family`: the first name typed. A family name that is exactly it comes first ("Smith, Kaitlin"
   * before "Smitham" for smith), then one that starts with it as a word (Smith-Jones), then rank.
   */
  private async run(groups: string[], dob: string | null, limit: number, family: string | undefined): Promise<PatientSummary[]> {
    const f = family ?? '';
    const rows = await this.db.all<PatientRow>(
      `SELECT ${summaryColumns.split(', ').map((c) => `p.${c}`).join(', ')}
         FROM patient_fts f JOIN patients p ON p.pk = f.rowid
        WHERE patient_fts MATCH ? AND p.merged_into IS NULL ${dob ? 'AND p.date_of_birth = ?' : ''}
        ORDER BY CASE WHEN lower(p.family_name) = ? THEN 0 WHEN lower(p.family_name) LIKE ? || '-%' OR lower(p.family_name) LIKE ? || ' %' THEN 1 ELSE 2 END,
                 f.rank LIMIT ?`,
      dob ? [groups.join(' AND '), dob, f, f, f, limit] : [groups.join(' AND '), f, f, f, limit],
    );
    return rows.map(toSummary);
  }

  private async loadVocabulary(): Promise<Set<string>> {
    if (!this.vocabulary) {
      const rows = await this.db.all<{ term: string }>("SELECT term FROM patient_terms WHERE col = 'names'");
      this.vocabulary = new Set(rows.map((r) => r.term));
    }
    return this.vocabulary;
  }
}
