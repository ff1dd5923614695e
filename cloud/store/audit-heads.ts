// The one rule for a reported audit chain head, for both stores: a chain only grows, so a head
// before the newest one kept, or another hash at the newest place, is refused (and the newest
// one stays what the clinic's verification compares with).
import type { AuditHeadRecord } from './store';

export function headVerdict(newest: { seq: number; hash: string } | undefined, h: Pick<AuditHeadRecord, 'seq' | 'hash'>): 'stored' | 'same' | 'behind' | 'changed' {
  if (!newest || h.seq > newest.seq) return 'stored';
  if (h.seq < newest.seq) return 'behind';
  return h.hash === newest.hash ? 'same' : 'changed';
}
