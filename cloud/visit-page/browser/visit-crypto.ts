// The patient's side of the visit's end-to-end encryption (WebCrypto): the identity answer
// sealed to the clinic's per-visit key (ECDH P-256, HKDF, AES-GCM), and the chat key agreed with
// it; the cloud relays ciphertext only. The workstation's side is electron/engine/video/visit-crypto.ts.

export const b64url = (b: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

const chatAad = (from: 'patient' | 'clinic') => new TextEncoder().encode(`chartroom/visit-chat/v1|${from}`);

/** Chat to the clinic, sealed with the chat key: the service relays ciphertext only. */
export async function sealChat(chatKey: CryptoKey | null, text: string) {
  if (!chatKey) return null;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: chatAad('patient') }, chatKey, new TextEncoder().encode(text));
  return { type: 'chat', iv: b64url(iv), ciphertext: b64url(ct) };
}

/** The clinic's chat message, or null if it was not sealed by the clinic with this visit's key. */
export async function openChat(chatKey: CryptoKey | null, m: { iv: string; ciphertext: string }): Promise<string | null> {
  if (!chatKey) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64url(m.iv), additionalData: chatAad('clinic') }, chatKey, fromB64url(m.ciphertext));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/** ECDH P-256 with the clinic's per-visit key, HKDF, then AES-GCM: only the clinic can read it. Also answers the chat key. */
export async function sealIdentity(clinicJwk: string, identity: { name: string; dateOfBirth: string }) {
  const clinic = await crypto.subtle.importKey('jwk', JSON.parse(clinicJwk) as JsonWebKey, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const mine = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: clinic }, mine.privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: iv, info: new TextEncoder().encode('chartroom/visit-identity/v1') }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt'],
  );
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(identity)));
  const chatKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('chartroom/visit-chat/v1') }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'],
  );
  return { chatKey, answer: { type: 'identity', iv: b64url(iv), publicKey: JSON.stringify(await crypto.subtle.exportKey('jwk', mine.publicKey)), ciphertext: b64url(ct) } };
}
