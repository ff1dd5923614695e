// Every contract call, fed malformed payloads, answers invalid-input and changes nothing.
import { afterEach, expect, it } from 'vitest';
import { callNames } from '../../../shared/api/contract';
import { adminPassword, dbFingerprint, setUpClinic, value } from '../../helpers/engine';
import { buildFixture, validInputs } from '../../helpers/examples';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

function malformedVariants(valid: Record<string, unknown>): unknown[] {
  const variants: unknown[] = [null, 42, 'text', [], true, [valid], { ...valid, unexpected: 'field' }, { __proto__: { polluted: true }, ...valid, constructor: 'x' }];
  for (const key of Object.keys(valid)) {
    variants.push({ ...valid, [key]: { nested: { deeper: [1, 2, 3] } } });
    variants.push({ ...valid, [key]: typeof valid[key] === 'number' ? 'not a number' : 12345 });
    if (typeof valid[key] === 'string') variants.push({ ...valid, [key]: 'x'.repeat(100_000) });
  }
  return variants;
}

it('answers invalid-input to malformed payloads for every call, with nothing changed', async () => {
  const c = await setUpClinic({ roles: ['admin', 'physician', 'nurse', 'front-desk'] });
  cleanup = c.cleanup;
  const fixture = await buildFixture(c.api);
  const inputs = validInputs(fixture, adminPassword);

  const before = await dbFingerprint(c.engine);
  let checked = 0;
  for (const name of callNames) {
    for (const bad of malformedVariants(inputs[name] as Record<string, unknown>)) {
      const r = await c.invoke(name, bad);
      expect(r.ok, `${name} accepted ${JSON.stringify(bad)?.slice(0, 80)}`).toBe(false);
      expect(!r.ok && r.error.code, `${name} with ${JSON.stringify(bad)?.slice(0, 80)}`).toBe('invalid-input');
      // The message names the field, never echoes the value.
      expect(!r.ok && r.error.message).not.toContain('xxxxxxxxxx');
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(400);
  expect(await dbFingerprint(c.engine)).toBe(before);
  expect(value(await c.api.call('session.current', {}))?.state).toBe('active');

  const unknown = await c.invoke('patients.delete', { patientId: fixture.patientId });
  expect(!unknown.ok && unknown.error.code).toBe('unknown-call');
  const proto = await c.invoke('__proto__', {});
  expect(!proto.ok && proto.error.code).toBe('unknown-call');
});
