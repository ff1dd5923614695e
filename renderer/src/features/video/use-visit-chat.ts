// The in-call chat on the workstation's side: the lines so far, what is being typed, and sending
// it through the engine (sealed end to end there); a line that cannot be sent stays in the box.
import { useCallback, useState } from 'react';
import type { AppointmentId } from '../../../../shared/domain/ids';
import type { Result } from '../../../../shared/errors';
import { useApi } from '../../lib/api';

export function useVisitChat(appointmentId: AppointmentId, run: <T>(p: Promise<Result<T>>) => Promise<T | null>) {
  const api = useApi();
  const [lines, setLines] = useState<{ from: string; text: string }[]>([]);
  const [text, setText] = useState('');
  const add = useCallback((from: string, line: string) => setLines((c) => [...c, { from, text: line }]), []);
  const send = useCallback(async () => {
    const t = text.trim();
    if (!t) return;
    if (await run(api.call('visits.chat', { appointmentId, text: t }))) {
      add('You', t);
      setText('');
    }
  }, [api, appointmentId, run, text, add]);
  return { lines, text, setText, add, send };
}
