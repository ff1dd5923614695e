// Validation messages in the user's words: each field's label, never its internal name, every
// wrong field at once, and never the value typed.
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/api/contract';
import { VitalsEntry } from '../../shared/domain/vitals';
import { describeIssues, invalidInput } from '../../shared/errors';
import { fieldLabel, issueInWords } from '../../shared/field-labels';

describe('messages in words', () => {
  it('names every implausible vital by its label, all at once', () => {
    const r = VitalsEntry.safeParse({ systolic: 400, diastolic: 300, heartRate: 720, temperature: { value: 120, unit: 'F' }, spo2: 20 });
    expect(r.success).toBe(false);
    const message = describeIssues(r.error?.issues ?? []);
    expect(message.split('; ')).toEqual([
      'Systolic pressure is above the plausible range (50–260 mmHg)',
      'Diastolic pressure is above the plausible range (20–160 mmHg)',
      'Heart rate is above the plausible range (20–250 /min)',
      'Temperature is above the plausible range (30–45 °C)',
      'SpO₂ is below the plausible range (50–100 %)',
    ]);
    expect(message).not.toMatch(/temperatureC|heartRate|spo2/);
  });

  it('words a required field and a contract refusal without paths or values', () => {
    const r = calls['allergies.add'].input.safeParse({ patientId: '01890000-0000-7000-8000-000000000000', allergy: { substance: ' ', reaction: 'secret reaction text' } });
    const failure = invalidInput(r.error?.issues ?? []);
    expect(!failure.ok && failure.error.message).toBe('Allergy to is required');
    expect(!failure.ok && failure.error.fields).toEqual([{ path: 'allergy.substance', message: 'Allergy to is required' }]);
    expect(JSON.stringify(failure)).not.toContain('secret');
  });

  it('labels a field it does not list from its name, and sentences that are not predicates with a colon', () => {
    expect(fieldLabel(['appointment', 'slotLengthMinutes'])).toBe('Slot length minutes');
    expect(fieldLabel(['items', 3])).toBe('Items');
    expect(issueInWords({ path: ['diastolic'], message: 'enter both systolic and diastolic pressure' })).toBe('Diastolic pressure: enter both systolic and diastolic pressure');
    expect(issueInWords({ path: [], message: 'expected an object' })).toBe('Expected an object');
  });
});
