// The allergy check against pairs a prescriber would expect: each allergy–drug pair that must
// warn (with its level: the same allergen, or a cross-reactivity caution), and each that must
// not. Also checks the table itself: every product names known ingredients or documented
// others, and every class and cross-reaction cites its sources.
import { describe, expect, it } from 'vitest';
import { checkAllergy, resolveDrug } from '../../../shared/allergies/allergy-check';
import { crossReactions, drugClasses, products, sources, vagueAllergies } from '../../../shared/allergies/drug-table';

type Level = 'allergy' | 'cross-reactivity';
const mustWarn: readonly [allergy: string, drug: string, level: Level][] = [
  // Penicillins: by ingredient, brand and combination, and the class name
  ['Penicillin', 'Amoxicillin 500 mg capsule', 'allergy'],
  ['Penicillin', 'Augmentin', 'allergy'],
  ['Penicillin', 'Amoxicillin-clavulanate 875-125 mg', 'allergy'],
  ['Penicillin', 'Ampicillin', 'allergy'],
  ['Penicillin', 'Piperacillin-tazobactam (Zosyn)', 'allergy'],
  ['Penicillin', 'Penicillin V potassium', 'allergy'],
  ['Penicillin', 'Dicloxacillin', 'allergy'],
  ['PCN', 'Amoxil', 'allergy'],
  ['Amoxicillin', 'Penicillin G benzathine', 'allergy'],
  ['Amoxicillin', 'Unasyn', 'allergy'],
  ['Augmentin', 'Amoxicillin', 'allergy'],
  // Cephalosporins: a caution for a penicillin allergy, an allergy within the class
  ['Penicillin', 'Cephalexin', 'cross-reactivity'],
  ['Penicillin', 'Keflex 500 mg', 'cross-reactivity'],
  ['Penicillin', 'Ceftriaxone', 'cross-reactivity'],
  ['Amoxicillin', 'Cefdinir', 'cross-reactivity'],
  ['Cephalexin', 'Amoxicillin', 'cross-reactivity'],
  ['Penicillin', 'Meropenem', 'cross-reactivity'],
  ['Cephalosporins', 'Cefuroxime', 'allergy'],
  ['Keflex', 'Cefazolin', 'allergy'],
  // Sulfonamide antibiotics
  ['Sulfa', 'Bactrim DS', 'allergy'],
  ['Sulfa drugs', 'Sulfamethoxazole-trimethoprim', 'allergy'],
  ['Sulfonamides', 'Septra', 'allergy'],
  ['Sulfa', 'SMX-TMP DS', 'allergy'],
  ['Sulfamethoxazole', 'Bactrim', 'allergy'],
  ['Sulfa', 'Celecoxib', 'cross-reactivity'],
  // NSAIDs
  ['NSAIDs', 'Ibuprofen 800 mg', 'allergy'],
  ['Ibuprofen', 'Naproxen', 'allergy'],
  ['Aspirin', 'Ibuprofen', 'allergy'],
  ['Motrin', 'Aleve', 'allergy'],
  ['Ibuprofen', 'Toradol', 'allergy'],
  ['Naproxen', 'Meloxicam', 'allergy'],
  ['NSAID', 'Celebrex', 'cross-reactivity'],
  // Opioids
  ['Codeine', 'Morphine sulfate', 'allergy'],
  ['Opioids', 'Percocet', 'allergy'],
  ['Morphine', 'Hydrocodone-acetaminophen', 'allergy'],
  ['Codeine', 'Tylenol with codeine #3', 'allergy'],
  ['Oxycodone', 'Norco', 'allergy'],
  ['Narcotics', 'Tramadol', 'allergy'],
  // Macrolides
  ['Erythromycin', 'Azithromycin', 'allergy'],
  ['Macrolides', 'Z-Pak', 'allergy'],
  ['Azithromycin', 'Clarithromycin', 'allergy'],
  // Fluoroquinolones
  ['Ciprofloxacin', 'Levofloxacin', 'allergy'],
  ['Quinolones', 'Cipro 500 mg', 'allergy'],
  ['Levaquin', 'Moxifloxacin', 'allergy'],
  // Tetracyclines
  ['Tetracycline', 'Doxycycline hyclate', 'allergy'],
  ['Doxycycline', 'Minocycline', 'allergy'],
  // ACE inhibitors
  ['Lisinopril', 'Enalapril', 'allergy'],
  ['ACE inhibitors', 'Ramipril', 'allergy'],
  ['Lisinopril', 'Lotrel', 'allergy'],
  ['Zestril', 'Benazepril', 'allergy'],
  // Statins
  ['Atorvastatin', 'Simvastatin', 'allergy'],
  ['Statins', 'Crestor', 'allergy'],
  ['Simvastatin', 'Vytorin', 'allergy'],
  // Iodinated contrast
  ['Contrast dye', 'Iohexol', 'allergy'],
  ['IV contrast', 'Omnipaque 350', 'allergy'],
  ['Iohexol', 'Visipaque', 'allergy'],
  ['Iodine', 'Iopamidol', 'cross-reactivity'],
  // Unknown to the table, matched by name
  ['Latex', 'Latex gloves', 'allergy'],
];

const mustNot: readonly [allergy: string, drug: string][] = [
  ['Penicillin', 'Azithromycin'],
  ['Penicillin', 'Doxycycline'],
  ['Penicillin', 'Ciprofloxacin'],
  ['Penicillin', 'Vancomycin'],
  ['Penicillin', 'Clindamycin'],
  ['Penicillin', 'Bactrim DS'],
  ['Sulfa', 'Furosemide'],
  ['Sulfa', 'Hydrochlorothiazide'],
  ['Sulfa drugs', 'Glipizide'],
  ['Sulfa', 'Trimethoprim'],
  ['Sulfa', 'Amoxicillin'],
  ['Aspirin', 'Acetaminophen'],
  ['NSAIDs', 'Tylenol'],
  ['Ibuprofen', 'Tramadol'],
  ['Codeine', 'Ibuprofen'],
  ['Opioids', 'Gabapentin'],
  ['Lisinopril', 'Amlodipine'],
  ['Atorvastatin', 'Ezetimibe'],
  ['Shellfish', 'Iohexol'],
  ['Iohexol', 'Gadobutrol'],
  ['Erythromycin', 'Doxycycline'],
  ['Ciprofloxacin', 'Nitrofurantoin'],
  ['Latex', 'Lisinopril'],
  ['Peanuts', 'Aspirin'],
  ['Egg', 'Eggplant extract'],
  ['Cephalexin', 'Azithromycin'],
];

describe('allergy check', () => {
  it(`warns on ${mustWarn.length} allergy–drug pairs, each at its level`, () => {
    expect(mustWarn.length).toBeGreaterThanOrEqual(50);
    const got = mustWarn.map(([allergy, drug]) => [allergy, drug, checkAllergy({ name: drug }, { substance: allergy })?.level ?? 'none']);
    expect(got).toEqual(mustWarn);
  });

  it(`does not warn on ${mustNot.length} pairs that share no allergen`, () => {
    expect(mustNot.length).toBeGreaterThanOrEqual(20);
    const got = mustNot.map(([allergy, drug]) => [allergy, drug, checkAllergy({ name: drug }, { substance: allergy })?.reason ?? null]);
    expect(got).toEqual(mustNot.map(([a, d]) => [a, d, null]));
  });

  it('says why, naming the ingredient and its class', () => {
    expect(checkAllergy({ name: 'Augmentin 875' }, { substance: 'Penicillin' })?.reason).toBe('amoxicillin is a penicillin');
    expect(checkAllergy({ name: 'Naproxen' }, { substance: 'Ibuprofen' })?.reason).toBe('naproxen is an NSAID, like ibuprofen');
    expect(checkAllergy({ name: 'Bactrim DS' }, { substance: 'Sulfamethoxazole' })?.reason).toBe('Bactrim DS contains sulfamethoxazole');
    expect(checkAllergy({ name: 'Cephalexin' }, { substance: 'Penicillin' })?.reason).toMatch(/^cephalexin is a cephalosporin: .*beta-lactam/);
  });

  it('matches a recorded code to the medication\'s RxNorm code', () => {
    expect(checkAllergy({ name: 'Some new drug', rxnorm: '123456' }, { substance: 'Study drug', code: '123456' })?.level).toBe('allergy');
    expect(checkAllergy({ name: 'Some new drug', rxnorm: '123456' }, { substance: 'Study drug', code: '654321' })).toBeNull();
  });

  it('reads brand names, combinations and spellings as their ingredients', () => {
    expect([...resolveDrug('Augmentin XR 1000 mg').ingredients].sort()).toEqual(['amoxicillin', 'clavulanate']);
    expect([...resolveDrug('co-trimoxazole').ingredients].sort()).toEqual(['sulfamethoxazole', 'trimethoprim']);
    expect([...resolveDrug('Penicillin V potassium').ingredients]).toEqual(['penicillin v']);
    expect([...resolveDrug('Penicillin').classes]).toEqual(['penicillins']);
  });
});

describe('the drug table', () => {
  const known = new Set(Object.values(drugClasses).flatMap((c) => c.ingredients));
  // Ingredients in combinations that belong to no class the check knows (they never warn alone).
  const others = new Set(['clavulanate', 'sulbactam', 'tazobactam', 'cilastatin', 'trimethoprim', 'acetaminophen', 'caffeine', 'naloxone', 'hydrochlorothiazide', 'amlodipine', 'ezetimibe']);

  it('lists only ingredients it knows, or documented others, in each product', () => {
    const unknown = Object.entries(products).flatMap(([name, ings]) => ings.filter((i) => !known.has(i) && !others.has(i)).map((i) => `${name}: ${i}`));
    expect(unknown).toEqual([]);
  });

  it('puts every ingredient in one class, and writes names as the check reads them', () => {
    const all = Object.values(drugClasses).flatMap((c) => c.ingredients);
    expect(all.length).toBe(new Set(all).size);
    const phrases = [...all, ...Object.values(drugClasses).flatMap((c) => c.aliases), ...Object.keys(products), ...Object.keys(vagueAllergies)];
    expect(phrases.filter((p) => p !== p.toLowerCase() || /[^a-z0-9 ]/.test(p))).toEqual([]);
  });

  it('cites a known source for every class and cross-reaction', () => {
    const cited = [...Object.values(drugClasses).map((c) => c.sources), ...crossReactions.map((x) => x.sources), ...Object.values(vagueAllergies).map((v) => v.sources)];
    expect(cited.every((s) => s.length > 0 && s.every((id) => id in sources))).toBe(true);
  });
});
