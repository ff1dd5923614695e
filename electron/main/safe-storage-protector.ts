// KeyProtector backed by Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). On Linux
// without a keyring daemon safeStorage falls back to `basic_text`, a hard-coded key: refused
// unless an admin has opted in on this workstation.
import { safeStorage } from 'electron';
import type { KeyProtector } from '../engine/keys/key-protector';
import { keystoreDecision } from './keystore-policy';

export function createSafeStorageProtector(allowBasicText: boolean): KeyProtector {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  const decision = keystoreDecision({ available: safeStorage.isEncryptionAvailable(), backend, allowBasicText });
  if (!decision.ok) throw new Error(decision.error.message);
  return {
    kind: 'os-keystore',
    async protect(secret) {
      return safeStorage.encryptString(secret.toString('base64'));
    },
    async unprotect(blob) {
      return Buffer.from(safeStorage.decryptString(blob), 'base64');
    },
  };
}
