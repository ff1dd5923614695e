// Before enrolling at an address someone typed: whether a Chartroom clinic cloud answers there,
// so a wrong address (the first workstation's own page, another web server, a typo) is named as
// such rather than as whatever that server says ("Not found.").
import { fail, ok, type Result } from '../../../shared/errors';

export async function probeCloud(base: string): Promise<Result<true>> {
  let url: URL;
  try {
    url = new URL(`${base}/healthz`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return fail('invalid-input', 'The cloud address must look like https://clinic.example.org.');
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return fail('cloud-unreachable', `Nothing answers at ${base}. Check the address, and that this computer reaches the clinic's network.`);
  }
  const body = (await res.json().catch(() => null)) as { ok?: unknown } | null;
  if (res.ok && body?.ok === true) return ok(true);
  return fail('cloud-unreachable', `No Chartroom clinic cloud answers at ${base}. Use the cloud address shown beside the one-time code under Workstations on a workstation already set up.`);
}
