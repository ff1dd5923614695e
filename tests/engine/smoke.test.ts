import { afterEach, expect, it } from 'vitest';
import { patient, setUpClinic, value } from '../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

it('registers and finds a patient', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  expect(reg.status).toBe('created');
  const found = value(await c.api.call('patients.search', { query: 'okaf' }));
  expect(found.results.map((r) => r.familyName)).toEqual(['Okafor']);
  const typo = value(await c.api.call('patients.search', { query: 'Okafro' }));
  expect(typo.results.map((r) => r.familyName)).toEqual(['Okafor']);
});
