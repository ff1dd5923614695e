// The clinic's half of a visit's end-to-end crypto against an answer made the way the patient's
// page makes it (WebCrypto in Node: the same API the browser runs): the identity opens and
// agrees the chat key; chat opens only with that key, only from the side that sealed it, and
// not after a byte changed.
import { webcrypto } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openChat, openIdentity, sealChat } from '../../../electron/engine/video/visit-crypto';

const { subtle } = webcrypto;
const enc = (s: string) => new TextEncoder().encode(s);
const b64url = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('base64url');

/** What the patient's page does (cloud/visit-page/browser/patient.ts): seal the identity and derive the chat key. */
async function patientAnswers(clinicJwk: string, identity: { name: string; dateOfBirth: string }) {
  const clinic = await subtle.importKey('jwk', JSON.parse(clinicJwk) as webcrypto.JsonWebKey, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const mine = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: clinic }, mine.privateKey, 256);
  const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const key = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: iv, info: enc('chartroom/visit-identity/v1') }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, key, enc(JSON.stringify(identity)));
  const chatKey = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc('chartroom/visit-chat/v1') }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const answer = { iv: b64url(iv), publicKey: JSON.stringify(await subtle.exportKey('jwk', mine.publicKey)), ciphertext: b64url(ct) };
  const seal = async (text: string) => {
    const civ = webcrypto.getRandomValues(new Uint8Array(12));
    return { iv: b64url(civ), ciphertext: b64url(await subtle.encrypt({ name: 'AES-GCM', iv: civ, additionalData: enc('chartroom/visit-chat/v1|patient') }, chatKey, enc(text))) };
  };
  const open = async (m: { iv: string; ciphertext: string }) =>
    new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv: Buffer.from(m.iv, 'base64url'), additionalData: enc('chartroom/visit-chat/v1|clinic') }, chatKey, Buffer.from(m.ciphertext, 'base64url')));
  return { answer, seal, open };
}

const visitKey = () => JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }));
const publicOf = (privateJwk: string) => { const { d: _d, ...pub } = JSON.parse(privateJwk) as Record<string, string>; return JSON.stringify(pub); };

describe('visit crypto', () => {
  it('opens the identity and chats both ways under the agreed key', async () => {
    const key = visitKey();
    const page = await patientAnswers(publicOf(key), { name: 'Wilhelmina Farfield', dateOfBirth: '1955-05-05' });
    const opened = openIdentity(key, page.answer);
    expect(opened).toMatchObject({ name: 'Wilhelmina Farfield', dateOfBirth: '1955-05-05' });
    const chatKey = opened!.chatKey;

    const fromPatient = await page.seal('My knee hurts since Tuesday.');
    expect(JSON.stringify(fromPatient)).not.toContain('knee');
    expect(openChat(chatKey, 'patient', fromPatient)).toBe('My knee hurts since Tuesday.');
    const fromClinic = sealChat(chatKey, 'clinic', 'Please show me where.');
    expect(JSON.stringify(fromClinic)).not.toContain('show');
    expect(await page.open(fromClinic)).toBe('Please show me where.');
  });

  it('refuses a reflected, altered or foreign message and an answer to another visit', async () => {
    const key = visitKey();
    const page = await patientAnswers(publicOf(key), { name: 'A B', dateOfBirth: '2000-01-01' });
    const chatKey = openIdentity(key, page.answer)!.chatKey;
    const m = await page.seal('hello');
    // The service sends the patient's own message back as if from the clinic.
    expect(openChat(chatKey, 'clinic', m)).toBeNull();
    const flipped = Buffer.from(m.ciphertext, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(openChat(chatKey, 'patient', { iv: m.iv, ciphertext: flipped.toString('base64url') })).toBeNull();
    const other = openIdentity(key, (await patientAnswers(publicOf(key), { name: 'C D', dateOfBirth: '2001-01-01' })).answer)!.chatKey;
    expect(openChat(other, 'patient', m)).toBeNull();
    expect(openIdentity(visitKey(), page.answer)).toBeNull();
    expect(openChat(chatKey, 'patient', { iv: '', ciphertext: 'AAAA' })).toBeNull();
  });
});
