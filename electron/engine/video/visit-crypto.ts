// The clinic side of what a video visit keeps from the tenant service: the patient's identity
// answer and the in-call chat. The patient's page makes an ECDH P-256 key pair for the visit and
// agrees a secret with the visit's key (kept in `video_visits`); from it come the identity key
// (HKDF, salt = the answer's IV) and the chat key (HKDF, no salt). Chat messages are AES-256-GCM
// with the sender's side in the AAD, so the service relays ciphertext only and cannot reflect a
// message back to its sender. The page's half is cloud/visit-page/browser/patient.ts.
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes } from 'node:crypto';

export type ChatSide = 'patient' | 'clinic';
const chatAad = (from: ChatSide) => Buffer.from(`chartroom/visit-chat/v1|${from}`);

function open(key: Buffer, iv: Buffer, ct: Buffer, aad?: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  if (aad) d.setAAD(aad);
  d.setAuthTag(ct.subarray(ct.length - 16));
  return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
}

/** The identity answer opened with the visit's private key, and the chat key it agrees; null if it does not open. */
export function openIdentity(privateJwk: string, answer: { iv: string; publicKey: string; ciphertext: string }): { name: string; dateOfBirth: string; chatKey: Buffer } | null {
  try {
    const shared = diffieHellman({
      privateKey: createPrivateKey({ key: JSON.parse(privateJwk) as Record<string, string>, format: 'jwk' }),
      publicKey: createPublicKey({ key: JSON.parse(answer.publicKey) as Record<string, string>, format: 'jwk' }),
    });
    const iv = Buffer.from(answer.iv, 'base64url');
    const key = Buffer.from(hkdfSync('sha256', shared, iv, 'chartroom/visit-identity/v1', 32));
    const v = JSON.parse(open(key, iv, Buffer.from(answer.ciphertext, 'base64url')).toString('utf8')) as { name?: unknown; dateOfBirth?: unknown };
    if (typeof v.name !== 'string' || typeof v.dateOfBirth !== 'string') return null;
    const chatKey = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), 'chartroom/visit-chat/v1', 32));
    return { name: v.name.slice(0, 200), dateOfBirth: v.dateOfBirth.slice(0, 10), chatKey };
  } catch {
    return null;
  }
}

export function sealChat(key: Buffer, from: ChatSide, text: string): { iv: string; ciphertext: string } {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(chatAad(from));
  const ct = Buffer.concat([c.update(text, 'utf8'), c.final(), c.getAuthTag()]);
  return { iv: iv.toString('base64url'), ciphertext: ct.toString('base64url') };
}

/** The text of a chat message from `from`; null if it was not sealed with this key by that side. */
export function openChat(key: Buffer, from: ChatSide, m: { iv: string; ciphertext: string }): string | null {
  try {
    return open(key, Buffer.from(m.iv, 'base64url'), Buffer.from(m.ciphertext, 'base64url'), chatAad(from)).toString('utf8').slice(0, 2000);
  } catch {
    return null;
  }
}
