// The cloud's feed key: an Ed25519 key derived from the service secret (the same on every
// service process), which stamps each feed answer with the workstation, the version and an
// expiry. A workstation keeps the first feed key it sees and refuses answers under any other;
// an old answer replayed past its expiry is refused (TUF's freeze attack). The key cannot make
// a release: only the vendor's offline key signs those.
import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { deriveServiceKey } from '../at-rest';
import { FEED_STAMP_TTL_MS, type FeedStamp, stampStatement } from '../../shared/updates/release';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export class FeedKey {
  private readonly privateKey: KeyObject;
  /** Raw, base64: what the stamp names. */
  readonly publicKey: string;

  constructor(serviceSecret: Buffer) {
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, deriveServiceKey(serviceSecret, 'feed')]), format: 'der', type: 'pkcs8' });
    this.publicKey = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  }

  stamp(deviceId: string, version: string, now: Date): FeedStamp {
    const body = { deviceId, version, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + FEED_STAMP_TTL_MS).toISOString() };
    return { ...body, key: this.publicKey, signature: sign(null, Buffer.from(stampStatement(body)), this.privateKey).toString('base64') };
  }
}
