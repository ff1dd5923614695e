// Which video appointments have their patient in the waiting room right now: asked on mount,
// whenever the clinic cloud says it changed, and every 15 seconds in case a word was missed.
import { useEffect, useState } from 'react';
import { useApi } from '../../lib/api';

export function useWaitingVisits(): ReadonlySet<string> {
  const api = useApi();
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    const load = () => void api.call('visits.waiting', {}).then((r) => { if (live && r.ok) setIds(new Set(r.value)); });
    load();
    const off = api.on('visits.changed', load);
    const timer = setInterval(load, 15_000);
    return () => { live = false; off(); clearInterval(timer); };
  }, [api]);
  return ids;
}
