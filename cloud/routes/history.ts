// The tenant's append-only history: a workstation pushes sealed change sets and pulls what came
// after its cursor. The service stores ciphertext and its own sequence number, nothing else.
import type { FastifyInstance } from 'fastify';
import { ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { HistoryStore } from '../store/store';

const PAGE_BYTES = 16 * 1024 * 1024;

export function registerHistory(app: FastifyInstance, deps: ServeDeps & { history: HistoryStore }): void {
  const { history } = deps;

  serve(app, deps, 'push', async ({ caller, body }) => ok({ stored: [...(await history.append(caller.tenantId, caller.deviceId, body.messages)).stored] }));

  serve(app, deps, 'pull', async ({ caller, query }) => {
    // A page stops at about 16 MB of ciphertext (at least one message), so a run of large
    // change sets (a bulk import) never makes one answer too big to hold.
    const messages = await history.pull(caller.tenantId, query.after, query.limit);
    let bytes = 0;
    return ok({ messages: messages.filter((m) => (bytes += m.ciphertext.length) <= PAGE_BYTES || bytes === m.ciphertext.length) });
  });
}
