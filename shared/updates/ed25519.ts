// Ed25519 verification through WebCrypto, which Node and browsers both have, so the cloud (at
// publish) and the workstation (before it installs) check a release with one piece of code.
// Keys travel raw (32 bytes, base64); a key's id is the first 16 hex digits of its SHA-256.

const subtle = () => globalThis.crypto.subtle;

const bytes = (b64: string): Uint8Array<ArrayBuffer> => {
  const s = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The id of a raw public key (base64): what a signature names its key by. */
export async function keyIdOf(publicKeyBase64: string): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', bytes(publicKeyBase64)));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** True only for a well-formed signature by that key over exactly that text; garbage is false, never a throw. */
export async function verifyEd25519(publicKeyBase64: string, text: string, signatureBase64: string): Promise<boolean> {
  if (!BASE64.test(publicKeyBase64) || !BASE64.test(signatureBase64)) return false;
  const raw = bytes(publicKeyBase64);
  const sig = bytes(signatureBase64);
  if (raw.length !== 32 || sig.length !== 64) return false;
  try {
    const key = await subtle().importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    return await subtle().verify({ name: 'Ed25519' }, key, sig, new TextEncoder().encode(text));
  } catch {
    return false;
  }
}
