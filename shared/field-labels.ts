// The words a user reads for each input field the contract checks: an `invalid-input` message
// says "Temperature is above the plausible range (30–45 °C)", not "vitals.temperatureC: …".
// Keys are the last name in a field's path; a field not listed is written out from its name
// ("durationMinutes" → "Duration minutes").

export const fieldLabels: Readonly<Record<string, string>> = {
  // Patients
  familyName: 'Family name', givenNames: 'Given names', preferredName: 'Preferred name', dateOfBirth: 'Date of birth',
  sexAtBirth: 'Sex at birth', genderIdentity: 'Gender identity', phone: 'Phone', email: 'Email', addressLine1: 'Address',
  addressLine2: 'Address line 2', city: 'City', region: 'State', postalCode: 'ZIP code', country: 'Country',
  emergencyName: 'Emergency contact', emergencyRelationship: 'Emergency contact relationship', emergencyPhone: 'Emergency contact phone',
  insurancePayer: 'Insurance', insuranceMemberId: 'Insurance member ID', insuranceGroup: 'Insurance group', mrn: 'MRN',
  // Vitals (as stored, and as typed)
  systolic: 'Systolic pressure', diastolic: 'Diastolic pressure', heartRate: 'Heart rate', respiratoryRate: 'Respiratory rate',
  temperatureC: 'Temperature', temperature: 'Temperature', spo2: 'SpO₂', heightCm: 'Height', height: 'Height', weightKg: 'Weight',
  weight: 'Weight', takenAt: 'Time taken',
  // Chart
  substance: 'Allergy to', reaction: 'Reaction', severity: 'Severity', description: 'Problem', icd10: 'ICD-10-CM code', onset: 'Onset',
  name: 'Name', dose: 'Dose', route: 'Route', frequency: 'Frequency', rxnorm: 'RxNorm code', start: 'Start date', stop: 'Stop date',
  vaccine: 'Vaccine', cvx: 'CVX code', date: 'Date', lot: 'Lot', test: 'Test', loinc: 'LOINC code', value: 'Value', unit: 'Unit',
  refLow: 'Range low', refHigh: 'Range high', collectedOn: 'Collected on', reason: 'Reason', title: 'Title', text: 'Text',
  subjective: 'Subjective', objective: 'Objective', assessment: 'Assessment', plan: 'Plan',
  // Scheduling and settings
  durationMinutes: 'Duration', providerId: 'Provider', typeId: 'Appointment type', patientId: 'Patient', autoLockSeconds: 'Auto-lock',
  username: 'Username', displayName: 'Full name', password: 'Password', roles: 'Roles', clinicName: 'Clinic name',
  cloudUrl: 'Cloud address', code: 'Code', publicAddress: "The clinic's public address",
};

/** "durationMinutes" → "Duration minutes". */
const spelled = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The label of the field at `path`: its last name, skipping list positions. */
export function fieldLabel(path: readonly PropertyKey[]): string | null {
  const key = [...path].reverse().find((p): p is string => typeof p === 'string');
  return key === undefined ? null : (fieldLabels[key] ?? spelled(key));
}

/** One issue as a sentence: "Heart rate is above …", "Diastolic pressure: enter both …". */
export function issueInWords(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  const label = fieldLabel(issue.path);
  if (!label) return issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  return /^(is|are|must|has|have|should|cannot|can|was|does)\b/.test(issue.message) ? `${label} ${issue.message}` : `${label}: ${issue.message}`;
}
