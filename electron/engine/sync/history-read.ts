// The clinic's whole history as the cloud keeps it, read and opened on this workstation (for
// an undo, which needs every earlier value of a field; the local database keeps only the
// winner). Audit batches and messages this workstation cannot open are left out and counted.
import type { ChangeRow } from './envelope';
import { openChangeSet } from './envelope';
import { cloudRequest } from './cloud-http';
import type { Identity } from './cloud-session';
import type { TenantKeys } from './tenant-keys';

export interface HistoryMessage {
  readonly seq: number;
  readonly msgId: string;
  /** The sending device, as authenticated by the envelope's associated data. */
  readonly deviceId: string;
  /** Who made it (a user's id), sealed inside it; null for change sets from before authors were kept, or made by no user. */
  readonly author: string | null;
  readonly rows: readonly ChangeRow[];
}

const PAGE = 500;

/** From the first message, or only those after place `from`. */
export async function readHistory(keys: TenantKeys, id: Identity, token: string, from = 0): Promise<{ messages: HistoryMessage[]; unreadable: number }> {
  const held = new Map((await keys.held()).map((k) => [k.kid, k.key]));
  const out: HistoryMessage[] = [];
  let unreadable = 0;
  for (let after = from; ;) {
    const { messages } = await cloudRequest(id.cloudUrl, 'pull', { params: { tenantId: id.tenantId }, query: { after, limit: PAGE }, token });
    if (messages.length === 0) break;
    for (const env of messages) {
      const opened = openChangeSet(held, id.tenantId, env);
      if (!opened.ok) unreadable++;
      else if (!opened.audit) out.push({ seq: env.seq, msgId: env.msgId, deviceId: env.deviceId, author: opened.by, rows: opened.rows });
    }
    after = messages.at(-1)?.seq ?? after;
  }
  return { messages: out, unreadable };
}
