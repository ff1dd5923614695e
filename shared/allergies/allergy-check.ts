// The allergy check: whether a medication should not be given to someone with a recorded
// allergy, by ingredient (brand and combination names resolved to theirs), by drug class, and by
// documented cross-reactivity between classes, all from the reviewed table in drug-table.ts.
// An allergy the table does not know (latex, peanuts) still matches a medication that names it.
import { type ClassId, crossReactions, drugClasses, products, vagueAllergies } from './drug-table';

/** `allergy`: the same allergen (ingredient or class); `cross-reactivity`: a caution between classes. */
export type AlertLevel = 'allergy' | 'cross-reactivity';

export interface AllergyFinding {
  readonly level: AlertLevel;
  /** Why, in words for the prescriber: "amoxicillin is a penicillin". */
  readonly reason: string;
}

interface Resolved {
  readonly words: readonly string[];
  readonly ingredients: ReadonlySet<string>;
  readonly classes: ReadonlySet<ClassId>;
  readonly vague: ReadonlySet<string>;
}

type Entry = { kind: 'ingredients'; names: readonly string[] } | { kind: 'class'; id: ClassId } | { kind: 'vague'; term: string };

/** Lower case words, accents and punctuation dropped: "Co-trimoxazole DS" → co trimoxazole ds. */
export function drugWords(text: string): string[] {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

const classOfIngredient = new Map<string, ClassId[]>();
const phrases = new Map<string, Entry>();
for (const [id, c] of Object.entries(drugClasses) as [ClassId, (typeof drugClasses)[ClassId]][]) {
  for (const i of c.ingredients) {
    classOfIngredient.set(i, [...(classOfIngredient.get(i) ?? []), id]);
    phrases.set(i, { kind: 'ingredients', names: [i] });
  }
}
// Class names second: "tetracycline" is an ingredient, and as an allergy it still means its class.
for (const [id, c] of Object.entries(drugClasses) as [ClassId, (typeof drugClasses)[ClassId]][]) {
  for (const a of c.aliases) if (!phrases.has(a)) phrases.set(a, { kind: 'class', id });
}
for (const [name, ingredients] of Object.entries(products)) phrases.set(name, { kind: 'ingredients', names: ingredients });
for (const term of Object.keys(vagueAllergies)) phrases.set(term, { kind: 'vague', term });
const longest = Math.max(...[...phrases.keys()].map((p) => p.split(' ').length));

/** What a written name stands for, longest phrase first ("penicillin v" before "penicillin"). */
export function resolveDrug(text: string): Resolved {
  const words = drugWords(text);
  const ingredients = new Set<string>();
  const classes = new Set<ClassId>();
  const vague = new Set<string>();
  for (let i = 0; i < words.length;) {
    let step = 1;
    for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
      const entry = phrases.get(words.slice(i, i + n).join(' '));
      if (!entry) continue;
      if (entry.kind === 'ingredients') entry.names.forEach((x) => ingredients.add(x));
      else if (entry.kind === 'class') classes.add(entry.id);
      else vague.add(entry.term);
      step = n;
      break;
    }
    i += step;
  }
  return { words, ingredients, classes, vague };
}

const classesOf = (r: Resolved): Set<ClassId> => new Set([...r.classes, ...[...r.ingredients].flatMap((i) => classOfIngredient.get(i) ?? [])]);
const membersIn = (r: Resolved, c: ClassId): string[] => [...r.ingredients].filter((i) => classOfIngredient.get(i)?.includes(c));
const contains = (words: readonly string[], part: readonly string[]) =>
  part.length > 0 && words.some((_, i) => part.every((w, j) => words[i + j] === w));

/** The medication as a warning names it: its ingredient in the class, or its own name. */
function named(med: Resolved, medName: string, c: ClassId): string {
  return membersIn(med, c)[0] ?? medName;
}

/** Whether giving `medication` to someone allergic to `allergy` warns, and why; null when it does not. */
export function checkAllergy(
  medication: { readonly name: string; readonly rxnorm?: string },
  allergy: { readonly substance: string; readonly code?: string },
): AllergyFinding | null {
  const med = resolveDrug(medication.name);
  const allergen = resolveDrug(allergy.substance);
  const medClasses = classesOf(med);

  if (allergy.code && medication.rxnorm && allergy.code === medication.rxnorm) return { level: 'allergy', reason: `the same RxNorm code (${allergy.code})` };
  const shared = [...allergen.ingredients].find((i) => med.ingredients.has(i));
  if (shared) return { level: 'allergy', reason: drugWords(medication.name).join(' ') === shared ? `${shared} is the allergen` : `${medication.name} contains ${shared}` };
  for (const c of classesOf(allergen)) {
    if (!medClasses.has(c)) continue;
    const like = allergen.classes.has(c) ? '' : `, like ${[...allergen.ingredients].find((i) => classOfIngredient.get(i)?.includes(c))}`;
    return { level: 'allergy', reason: `${named(med, medication.name, c)} is ${drugClasses[c].member}${like}` };
  }
  if (contains(med.words, allergen.words)) return { level: 'allergy', reason: `${medication.name} names ${allergy.substance}` };

  for (const c of classesOf(allergen)) {
    for (const x of crossReactions) {
      if ('ingredient' in x.to) {
        if (x.from === c && med.ingredients.has(x.to.ingredient)) return { level: 'cross-reactivity', reason: x.why };
        continue;
      }
      const other = x.from === c ? x.to.class : x.to.class === c ? x.from : null;
      if (other && medClasses.has(other)) return { level: 'cross-reactivity', reason: `${named(med, medication.name, other)} is ${drugClasses[other].member}: ${x.why}` };
    }
  }
  for (const term of allergen.vague) {
    const v = vagueAllergies[term];
    if (v && medClasses.has(v.class)) return { level: 'cross-reactivity', reason: `${named(med, medication.name, v.class)} is ${drugClasses[v.class].member}: ${v.why}` };
  }
  return null;
}
