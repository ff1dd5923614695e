// Loads appointments for a date range and reloads when the engine says those days changed.
import { useCallback, useEffect, useState } from 'react';
import type { UserId } from '../../../../shared/domain/ids';
import type { Appointment } from '../../../../shared/domain/scheduling';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function useSchedule(from: string, to: string, providerId?: UserId) {
  const api = useApi();
  const { error, run } = useCall();
  const [appointments, setAppointments] = useState<readonly Appointment[]>([]);
  const reload = useCallback(async () => {
    const r = await run(api.call('appointments.list', { from, to, providerId }));
    if (r) setAppointments(r);
  }, [api, run, from, to, providerId]);
  useEffect(() => {
    void reload();
    return api.on('schedule.changed', (e) => {
      if (e.dates.some((d) => d >= from && d <= to)) void reload();
    });
  }, [api, reload, from, to]);
  return { appointments, error, reload };
}

export function useScheduleSetup() {
  const api = useApi();
  const [providers, setProviders] = useState<Awaited<ReturnType<typeof loadSetup>>['providers']>([]);
  const [types, setTypes] = useState<Awaited<ReturnType<typeof loadSetup>>['types']>([]);
  const [hours, setHours] = useState<Awaited<ReturnType<typeof loadSetup>>['hours']>([]);
  useEffect(() => {
    void loadSetup(api).then((s) => { setProviders(s.providers); setTypes(s.types); setHours(s.hours); });
  }, [api]);
  return { providers, types, hours };
}

async function loadSetup(api: ReturnType<typeof useApi>) {
  const [p, t, h] = await Promise.all([api.call('schedule.providers', {}), api.call('schedule.types', {}), api.call('schedule.hours', {})]);
  return { providers: p.ok ? p.value : [], types: t.ok ? t.value : [], hours: h.ok ? h.value : [] };
}
