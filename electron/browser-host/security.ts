// Request checks for the browser host: a per-launch token and exact Origin and Host matching,
// so neither another local process nor a web page in the same browser can drive the engine.
import { timingSafeEqual } from 'node:crypto';
import { contentSecurityPolicy } from '../../shared/csp';

export function tokensEqual(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hostContentSecurityPolicy(origin: string): string {
  return contentSecurityPolicy([origin.replace(/^http/, 'ws')]);
}
