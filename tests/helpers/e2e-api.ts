// Contract calls from inside a page, as the signed-in user of that page (the browser host's
// own endpoint and launch token): for e2e specs to set up data that is not what they test.
import type { Page } from '@playwright/test';

export async function pageCall<T = never>(page: Page, name: string, body: unknown): Promise<{ ok: boolean; value: T; error?: { code: string; message: string } }> {
  return (await page.evaluate(async ([n, b]) => {
    const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage;
    const r = await fetch(`/api/call/${n}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chartroom-token': storage.getItem('chartroom.launch-token') ?? '' },
      body: JSON.stringify(b),
    });
    return r.json();
  }, [name, body] as const)) as { ok: boolean; value: T };
}

/** Every demographic field, empty but for what is given. */
export function patientFields(f: { familyName: string; givenNames: string; dateOfBirth: string; sexAtBirth?: string; phone?: string }) {
  return {
    preferredName: '', sexAtBirth: 'female', genderIdentity: '', phone: '', email: '', addressLine1: '', addressLine2: '', city: '', region: '',
    postalCode: '', country: '', emergencyName: '', emergencyRelationship: '', emergencyPhone: '', insurancePayer: '', insuranceMemberId: '',
    insuranceGroup: '', ...f,
  };
}

/** Registers a patient through the contract; answers their id and MRN. */
export async function registerByCall(page: Page, f: Parameters<typeof patientFields>[0]): Promise<{ id: string; mrn: string }> {
  const r = await pageCall<{ status: string; patient: { id: string; mrn: string } }>(page, 'patients.register', { fields: patientFields(f), duplicateOverride: undefined });
  if (!r.ok || r.value.status !== 'created') throw new Error(`could not register ${f.familyName}`);
  return r.value.patient;
}
