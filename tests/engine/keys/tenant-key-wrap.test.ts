// The tenant key reaches a workstation wrapped to that workstation's X25519 key, and can be
// recovered with the recovery code; nothing else opens either wrap.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportPrivate, generateBoxKeyPair, importPrivate, newRecoveryCode, openSealed, recoveryKeyPair, sealTo, unwrapOnDevice, unwrapWithRecovery, wrapToDevice, wrapToRecovery,
} from '../../../electron/engine/keys/tenant-key-wrap';

const ctx = { tenantId: randomUUID(), kid: 'k1', deviceId: randomUUID() };

describe('tenant key wrapping', () => {
  it('opens only on the device it was wrapped to, for that tenant, key id and device id', () => {
    const tk = randomBytes(32);
    const device = generateBoxKeyPair();
    const other = generateBoxKeyPair();
    const w = wrapToDevice(tk, device.publicKey, ctx);
    expect(unwrapOnDevice(w, importPrivate(exportPrivate(device.privateKey)), ctx)?.equals(tk)).toBe(true);
    expect(unwrapOnDevice(w, other.privateKey, ctx)).toBeNull();
    expect(unwrapOnDevice(w, device.privateKey, { ...ctx, tenantId: randomUUID() })).toBeNull();
    expect(unwrapOnDevice(w, device.privateKey, { ...ctx, kid: 'k2' })).toBeNull();
    expect(unwrapOnDevice(w, device.privateKey, { ...ctx, deviceId: randomUUID() })).toBeNull();
    expect(JSON.stringify(w)).not.toContain(tk.toString('base64'));
  });

  it('recovers with the recovery code however it is typed, and not with another', async () => {
    const tk = randomBytes(32);
    const code = newRecoveryCode();
    expect(code).toMatch(/^[0-9A-Z]{8}(-[0-9A-Z]{8}){3}$/);
    // Any workstation can wrap a later key to the recovery key with its public half alone.
    const { publicKey } = await recoveryKeyPair(code, ctx.tenantId);
    expect((await recoveryKeyPair(code, ctx.tenantId)).publicKey.equals(publicKey)).toBe(true);
    const box = wrapToRecovery(tk, publicKey, ctx);
    expect((await unwrapWithRecovery(box, code.toLowerCase().replace(/-/g, ' '), ctx))?.equals(tk)).toBe(true);
    expect(await unwrapWithRecovery(box, newRecoveryCode(), ctx)).toBeNull();
    expect(await unwrapWithRecovery(box, code, { ...ctx, tenantId: randomUUID() })).toBeNull();
    expect(await unwrapWithRecovery(box, code, { ...ctx, kid: 'k2' })).toBeNull();
  });

  it('a box bound to a device secret opens only with that secret', () => {
    const secret = randomBytes(32);
    const who = generateBoxKeyPair();
    const bind = randomBytes(32);
    const w = sealTo(secret, who.publicKey, 'purpose', bind);
    expect(openSealed(w, who.privateKey, 'purpose', bind)?.equals(secret)).toBe(true);
    expect(openSealed(w, who.privateKey, 'purpose', randomBytes(32))).toBeNull();
    expect(openSealed(w, who.privateKey, 'purpose')).toBeNull();
    expect(openSealed(w, who.privateKey, 'another purpose', bind)).toBeNull();
  });
});
