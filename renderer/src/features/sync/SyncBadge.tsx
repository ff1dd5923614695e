// The sync indicator in the header: online, offline with how many changes wait, or what is
// wrong; click to sync now.
import { Button, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../shared/domain/sync';
import { assertNever } from '../../../../shared/errors';
import { useApi } from '../../lib/api';
import { useClock } from '../../lib/clock-context';

function describe(s: SyncStatus, at: (iso: string) => string): { label: string; color: string; detail: string } {
  const waiting = s.pending > 0 ? `, ${s.pending} change${s.pending === 1 ? '' : 's'} waiting` : '';
  const refused = s.quarantined > 0 ? `, ${s.quarantined} refused` : '';
  switch (s.state) {
    case 'online':
      return {
        label: `Synced${s.lastSyncAt ? ` ${at(s.lastSyncAt)}` : ''}${waiting}${refused}`,
        color: refused ? 'red' : 'teal',
        detail: refused ? 'Messages from the cloud were refused and set aside; a practice admin sees them under Workstations.' : (s.message ?? 'Up to date with the clinic.'),
      };
    case 'offline':
      return { label: `Offline${waiting}`, color: 'orange', detail: s.message ?? 'Working offline; changes are sent when the connection returns.' };
    case 'waiting-for-key':
      return { label: 'Waiting for the clinic key', color: 'orange', detail: s.message ?? '' };
    case 'revoked':
      return { label: 'Workstation revoked', color: 'red', detail: s.message ?? '' };
    case 'locked-down':
      return { label: 'Clinic locked down', color: 'red', detail: s.message ?? 'IT lifts the lockdown workstation by workstation.' };
    case 'not-enrolled':
      return { label: 'Not connected to a clinic cloud', color: 'gray', detail: 'An admin can connect this workstation under Workstations.' };
    default:
      return assertNever(s.state);
  }
}

export function SyncBadge() {
  const api = useApi();
  const clock = useClock();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    const load = () => void api.call('sync.status', {}).then((r) => r.ok && setStatus(r.value));
    load();
    // Events keep it current; a slow poll covers an event missed while the page connected.
    const timer = setInterval(load, 5000);
    const off = api.on('sync.status', setStatus);
    return () => { clearInterval(timer); off(); };
  }, [api]);
  if (!status) return null;
  const d = describe(status, clock.at);
  return (
    <Tooltip label={d.detail} multiline w={280}>
      {/* The light variant's own text colour is under 4.5:1 on its tint (teal measured 4.36:1): the tint carries the colour, the text is dark. */}
      <Button size="xs" variant="light" color={d.color} c="dark.8" aria-label={`Sync: ${d.label}. Sync now`} onClick={() => void api.call('sync.now', {}).then((r) => r.ok && setStatus(r.value))}>
        {d.label}
      </Button>
    </Tooltip>
  );
}
