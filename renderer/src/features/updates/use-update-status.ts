// This workstation's update status, kept fresh: asked once, and again whenever the engine says
// something about updates changed (an offer verified, refused, or the clinic's policy).
import { useEffect, useState } from 'react';
import type { UpdateStatus } from '../../../../shared/updates/status';
import { useApi } from '../../lib/api';

export function useUpdateStatus(): UpdateStatus | null {
  const api = useApi();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => void api.call('updates.status', {}).then((r) => live && r.ok && setStatus(r.value));
    load();
    const off = api.on('updates.changed', load);
    // The message names the window, which opens by the clock: asked again each minute.
    const every = window.setInterval(load, 60_000);
    return () => { live = false; off(); window.clearInterval(every); };
  }, [api]);
  return status;
}
