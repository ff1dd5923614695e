// Whether the OS keystore backend is good enough to guard the device secret.
import { fail, ok, type Result } from '../../shared/errors';

export function keystoreDecision(opts: { available: boolean; backend: string; allowBasicText: boolean }): Result<'ok'> {
  if (!opts.available) return fail('keystore-unavailable', 'The operating system keystore is not available, so Chartroom cannot protect its keys.');
  if (opts.backend === 'basic_text' && !opts.allowBasicText) {
    return fail(
      'keystore-unavailable',
      'No system keyring (GNOME Keyring or KWallet) is running, so keys would be stored with a fixed built-in key. Start a keyring, or have an admin allow this in workstation settings.',
    );
  }
  return ok('ok');
}
