// Reviewed data for the allergy check: drug classes with their ingredients, the names a patient
// or clinician writes for a whole class, brand and combination names with their ingredients,
// and which classes cross-react. The check (allergy-check.ts) only reads this table; a change to
// what warns is a change here, with its source, and tests/shared/allergies/ holds the pairs that
// must and must not warn.
//
// Review: checked entry by entry against the sources below by Chartroom engineering on
// 2026-12-02. A clinic's pharmacist or medical director should sign it off before go-live and
// yearly after; ingredient RxNorm codes are not listed yet (names are matched, and a recorded
// allergy's own code still matches a medication's code).

export const sources = {
  atc: 'WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index 2025 (groups J01C, J01D, J01E, J01F, J01M, J01AA, M01A, N02A, C09A, C10AA, V08A)',
  dailymed: 'U.S. National Library of Medicine, DailyMed structured product labels: brand names and their active ingredients',
  rxnorm: 'U.S. National Library of Medicine, RxNorm: ingredient names (IN) and brand names (BN)',
  aaaai2022: 'Khan DA, Banerji A, Blumenthal KG, et al. Drug allergy: A 2022 practice parameter update. J Allergy Clin Immunol. 2022;150(6):1333-1393',
  strom2003: 'Strom BL, Schinnar R, Apter AJ, et al. Absence of cross-reactivity between sulfonamide antibiotics and sulfonamide nonantibiotics. N Engl J Med. 2003;349:1628-1635',
  acr2024: 'American College of Radiology, ACR Manual on Contrast Media, 2024: allergic-like reactions; shellfish and "iodine" allergy are not risk factors',
  celecoxibLabel: 'Celebrex (celecoxib) prescribing information, section 4 Contraindications: known allergic-type reactions to sulfonamides',
} as const;
export type SourceId = keyof typeof sources;

export const classIds = [
  'penicillins', 'cephalosporins', 'carbapenems', 'sulfonamide-antibiotics', 'macrolides', 'fluoroquinolones', 'tetracyclines',
  'nsaids', 'cox2-inhibitors', 'opioids', 'ace-inhibitors', 'statins', 'iodinated-contrast',
] as const;
export type ClassId = (typeof classIds)[number];

export interface DrugClass {
  /** How a warning names a member: "amoxicillin is a penicillin". */
  readonly member: string;
  /** Written as an allergy, each of these means the whole class (lower case, words only). */
  readonly aliases: readonly string[];
  readonly ingredients: readonly string[];
  readonly sources: readonly SourceId[];
}

/** An allergy to any member, or to the class, warns for every member: the class shares the allergen. */
export const drugClasses: Readonly<Record<ClassId, DrugClass>> = {
  penicillins: {
    member: 'a penicillin',
    aliases: ['penicillin', 'penicillins', 'pcn', 'penicillin antibiotics'],
    ingredients: ['penicillin v', 'penicillin g', 'amoxicillin', 'ampicillin', 'piperacillin', 'dicloxacillin', 'nafcillin', 'oxacillin', 'ticarcillin', 'cloxacillin', 'flucloxacillin'],
    sources: ['atc', 'rxnorm'],
  },
  cephalosporins: {
    member: 'a cephalosporin',
    aliases: ['cephalosporin', 'cephalosporins'],
    ingredients: [
      'cephalexin', 'cefadroxil', 'cefazolin', 'cefaclor', 'cefprozil', 'cefuroxime', 'cefoxitin', 'cefdinir', 'cefixime', 'cefpodoxime',
      'ceftriaxone', 'cefotaxime', 'ceftazidime', 'cefepime', 'ceftaroline', 'cefiderocol',
    ],
    sources: ['atc', 'rxnorm'],
  },
  carbapenems: {
    member: 'a carbapenem',
    aliases: ['carbapenem', 'carbapenems'],
    ingredients: ['meropenem', 'imipenem', 'ertapenem', 'doripenem'],
    sources: ['atc', 'rxnorm'],
  },
  'sulfonamide-antibiotics': {
    member: 'a sulfonamide antibiotic',
    aliases: ['sulfa', 'sulfa drugs', 'sulfa drug', 'sulfas', 'sulfonamide', 'sulfonamides', 'sulfonamide antibiotics', 'sulpha'],
    ingredients: ['sulfamethoxazole', 'sulfadiazine', 'sulfisoxazole', 'sulfasalazine'],
    sources: ['atc', 'rxnorm', 'aaaai2022'],
  },
  macrolides: {
    member: 'a macrolide',
    aliases: ['macrolide', 'macrolides'],
    ingredients: ['azithromycin', 'clarithromycin', 'erythromycin', 'fidaxomicin'],
    sources: ['atc', 'rxnorm'],
  },
  fluoroquinolones: {
    member: 'a fluoroquinolone',
    aliases: ['fluoroquinolone', 'fluoroquinolones', 'quinolone', 'quinolones'],
    ingredients: ['ciprofloxacin', 'levofloxacin', 'moxifloxacin', 'ofloxacin', 'norfloxacin', 'gemifloxacin', 'delafloxacin'],
    sources: ['atc', 'rxnorm'],
  },
  tetracyclines: {
    member: 'a tetracycline',
    aliases: ['tetracyclines'],
    ingredients: ['tetracycline', 'doxycycline', 'minocycline', 'demeclocycline', 'tigecycline', 'omadacycline', 'sarecycline'],
    sources: ['atc', 'rxnorm'],
  },
  nsaids: {
    member: 'an NSAID',
    aliases: ['nsaid', 'nsaids', 'non steroidal anti inflammatory drugs', 'nonsteroidal anti inflammatory drugs', 'anti inflammatories'],
    ingredients: [
      'aspirin', 'ibuprofen', 'naproxen', 'diclofenac', 'ketorolac', 'indomethacin', 'meloxicam', 'piroxicam', 'nabumetone', 'etodolac',
      'oxaprozin', 'sulindac', 'ketoprofen', 'flurbiprofen', 'diflunisal', 'mefenamic acid',
    ],
    sources: ['atc', 'rxnorm', 'aaaai2022'],
  },
  'cox2-inhibitors': {
    member: 'a COX-2 inhibitor',
    aliases: ['cox 2 inhibitor', 'cox 2 inhibitors', 'coxib', 'coxibs'],
    ingredients: ['celecoxib', 'etoricoxib'],
    sources: ['atc', 'rxnorm', 'aaaai2022'],
  },
  opioids: {
    member: 'an opioid',
    aliases: ['opioid', 'opioids', 'opiate', 'opiates', 'narcotic', 'narcotics'],
    ingredients: [
      'morphine', 'codeine', 'hydrocodone', 'oxycodone', 'hydromorphone', 'oxymorphone', 'fentanyl', 'meperidine', 'methadone',
      'tramadol', 'tapentadol', 'buprenorphine',
    ],
    sources: ['atc', 'rxnorm'],
  },
  'ace-inhibitors': {
    member: 'an ACE inhibitor',
    aliases: ['ace inhibitor', 'ace inhibitors', 'acei', 'ace i'],
    ingredients: ['lisinopril', 'enalapril', 'ramipril', 'benazepril', 'captopril', 'quinapril', 'fosinopril', 'perindopril', 'trandolapril', 'moexipril'],
    sources: ['atc', 'rxnorm'],
  },
  statins: {
    member: 'a statin',
    aliases: ['statin', 'statins', 'hmg coa reductase inhibitors'],
    ingredients: ['atorvastatin', 'simvastatin', 'rosuvastatin', 'pravastatin', 'lovastatin', 'fluvastatin', 'pitavastatin'],
    sources: ['atc', 'rxnorm'],
  },
  'iodinated-contrast': {
    member: 'an iodinated contrast agent',
    aliases: ['contrast', 'contrast dye', 'contrast media', 'iv contrast', 'iodinated contrast', 'radiocontrast', 'x ray dye', 'ct dye'],
    ingredients: ['iohexol', 'iopamidol', 'iodixanol', 'ioversol', 'iopromide', 'iomeprol', 'diatrizoate'],
    sources: ['atc', 'rxnorm', 'acr2024'],
  },
};

/**
 * Brand and combination names, each with its active ingredients (lower case, words only:
 * "Bactrim DS" is written "bactrim ds" and found as those words in a medication's name).
 */
export const products: Readonly<Record<string, readonly string[]>> = {
  // Penicillins
  amoxil: ['amoxicillin'], moxatag: ['amoxicillin'], augmentin: ['amoxicillin', 'clavulanate'], 'augmentin xr': ['amoxicillin', 'clavulanate'],
  'amox clav': ['amoxicillin', 'clavulanate'], 'pen vk': ['penicillin v'], veetids: ['penicillin v'], bicillin: ['penicillin g'],
  unasyn: ['ampicillin', 'sulbactam'], zosyn: ['piperacillin', 'tazobactam'], 'pip tazo': ['piperacillin', 'tazobactam'],
  // Cephalosporins
  keflex: ['cephalexin'], ancef: ['cefazolin'], ceftin: ['cefuroxime'], zinacef: ['cefuroxime'], omnicef: ['cefdinir'], rocephin: ['ceftriaxone'],
  maxipime: ['cefepime'], fortaz: ['ceftazidime'], duricef: ['cefadroxil'], suprax: ['cefixime'], vantin: ['cefpodoxime'], teflaro: ['ceftaroline'],
  // Carbapenems
  merrem: ['meropenem'], primaxin: ['imipenem', 'cilastatin'], invanz: ['ertapenem'],
  // Sulfonamide antibiotics
  bactrim: ['sulfamethoxazole', 'trimethoprim'], 'bactrim ds': ['sulfamethoxazole', 'trimethoprim'], septra: ['sulfamethoxazole', 'trimethoprim'],
  'septra ds': ['sulfamethoxazole', 'trimethoprim'], sulfatrim: ['sulfamethoxazole', 'trimethoprim'], 'smx tmp': ['sulfamethoxazole', 'trimethoprim'],
  'tmp smx': ['sulfamethoxazole', 'trimethoprim'], 'co trimoxazole': ['sulfamethoxazole', 'trimethoprim'], cotrimoxazole: ['sulfamethoxazole', 'trimethoprim'],
  azulfidine: ['sulfasalazine'],
  // Macrolides
  zithromax: ['azithromycin'], 'z pak': ['azithromycin'], zpak: ['azithromycin'], biaxin: ['clarithromycin'], 'ery tab': ['erythromycin'],
  erythrocin: ['erythromycin'], dificid: ['fidaxomicin'],
  // Fluoroquinolones
  cipro: ['ciprofloxacin'], levaquin: ['levofloxacin'], avelox: ['moxifloxacin'], factive: ['gemifloxacin'], baxdela: ['delafloxacin'],
  // Tetracyclines
  vibramycin: ['doxycycline'], doryx: ['doxycycline'], acticlate: ['doxycycline'], monodox: ['doxycycline'], minocin: ['minocycline'],
  solodyn: ['minocycline'], sumycin: ['tetracycline'],
  // NSAIDs
  advil: ['ibuprofen'], motrin: ['ibuprofen'], aleve: ['naproxen'], naprosyn: ['naproxen'], anaprox: ['naproxen'], voltaren: ['diclofenac'],
  cataflam: ['diclofenac'], mobic: ['meloxicam'], toradol: ['ketorolac'], indocin: ['indomethacin'], feldene: ['piroxicam'], relafen: ['nabumetone'],
  daypro: ['oxaprozin'], lodine: ['etodolac'], bayer: ['aspirin'], ecotrin: ['aspirin'], asa: ['aspirin'], 'acetylsalicylic acid': ['aspirin'],
  excedrin: ['aspirin', 'acetaminophen', 'caffeine'], vicoprofen: ['hydrocodone', 'ibuprofen'],
  // COX-2 inhibitors
  celebrex: ['celecoxib'],
  // Opioids
  vicodin: ['hydrocodone', 'acetaminophen'], norco: ['hydrocodone', 'acetaminophen'], lortab: ['hydrocodone', 'acetaminophen'],
  percocet: ['oxycodone', 'acetaminophen'], oxycontin: ['oxycodone'], roxicodone: ['oxycodone'], dilaudid: ['hydromorphone'],
  'ms contin': ['morphine'], duragesic: ['fentanyl'], ultram: ['tramadol'], demerol: ['meperidine'], nucynta: ['tapentadol'],
  dolophine: ['methadone'], subutex: ['buprenorphine'], suboxone: ['buprenorphine', 'naloxone'],
  'tylenol with codeine': ['acetaminophen', 'codeine'], 'tylenol 3': ['acetaminophen', 'codeine'],
  // ACE inhibitors
  zestril: ['lisinopril'], prinivil: ['lisinopril'], zestoretic: ['lisinopril', 'hydrochlorothiazide'], vasotec: ['enalapril'], altace: ['ramipril'],
  lotensin: ['benazepril'], lotrel: ['amlodipine', 'benazepril'], capoten: ['captopril'], accupril: ['quinapril'], monopril: ['fosinopril'],
  aceon: ['perindopril'], mavik: ['trandolapril'], univasc: ['moexipril'],
  // Statins
  lipitor: ['atorvastatin'], zocor: ['simvastatin'], crestor: ['rosuvastatin'], pravachol: ['pravastatin'], mevacor: ['lovastatin'],
  altoprev: ['lovastatin'], livalo: ['pitavastatin'], lescol: ['fluvastatin'], vytorin: ['ezetimibe', 'simvastatin'], caduet: ['amlodipine', 'atorvastatin'],
  // Iodinated contrast
  omnipaque: ['iohexol'], isovue: ['iopamidol'], visipaque: ['iodixanol'], optiray: ['ioversol'], ultravist: ['iopromide'], iomeron: ['iomeprol'],
  gastrografin: ['diatrizoate'],
};

export interface CrossReaction {
  readonly from: ClassId;
  /** A whole class, or one ingredient. */
  readonly to: { readonly class: ClassId } | { readonly ingredient: string };
  readonly why: string;
  readonly sources: readonly SourceId[];
}

/**
 * Cautions between classes: not the same allergen, but a documented chance of reacting. Each
 * applies both ways between classes; an ingredient target applies from the class only.
 */
export const crossReactions: readonly CrossReaction[] = [
  {
    from: 'penicillins', to: { class: 'cephalosporins' }, sources: ['aaaai2022'],
    why: 'penicillins and cephalosporins share the beta-lactam ring; cross-reactivity is about 2% overall and higher where side chains match',
  },
  {
    from: 'penicillins', to: { class: 'carbapenems' }, sources: ['aaaai2022'],
    why: 'penicillins and carbapenems share the beta-lactam ring; cross-reactivity is under 1%',
  },
  {
    from: 'nsaids', to: { class: 'cox2-inhibitors' }, sources: ['aaaai2022'],
    why: 'most people who react to NSAIDs tolerate COX-2 inhibitors, but some do not',
  },
  {
    from: 'sulfonamide-antibiotics', to: { ingredient: 'celecoxib' }, sources: ['celecoxibLabel'],
    why: "celecoxib's label contraindicates it after allergic-type reactions to sulfonamides",
  },
];

/**
 * Allergies written in words that name no drug for sure: each gives a caution on a class, since
 * the record may mean an earlier reaction to it, and the clinician should ask.
 */
export const vagueAllergies: Readonly<Record<string, { readonly class: ClassId; readonly why: string; readonly sources: readonly SourceId[] }>> = {
  iodine: {
    class: 'iodinated-contrast', sources: ['acr2024'],
    why: 'an allergy recorded as "iodine" often means an earlier reaction to contrast; iodine itself is not the allergen, so ask the patient',
  },
};

/**
 * Reviewed and deliberately not warned: sulfonamide non-antibiotics after a sulfonamide
 * antibiotic allergy (no cross-reactivity beyond a general tendency to react), and shellfish
 * against iodinated contrast. Listed so the decision is visible; the check never reads it.
 */
export const notCrossReactive: readonly { readonly allergy: string; readonly drugs: readonly string[]; readonly sources: readonly SourceId[] }[] = [
  { allergy: 'sulfonamide antibiotics', drugs: ['furosemide', 'hydrochlorothiazide', 'chlorthalidone', 'bumetanide', 'glipizide', 'glyburide', 'acetazolamide'], sources: ['strom2003', 'aaaai2022'] },
  { allergy: 'shellfish', drugs: ['iodinated contrast'], sources: ['acr2024'] },
];
