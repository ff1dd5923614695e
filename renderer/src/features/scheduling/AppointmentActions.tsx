// The next steps of an appointment that this user's role may take: check in, room, start the
// visit, check out, no-show, cancel with a reason, move, open the chart.
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { CallName } from '../../../../shared/api/contract';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import type { Appointment } from '../../../../shared/domain/scheduling';
import { nextStatuses } from '../../../../shared/domain/scheduling';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';
import { useCall } from '../../lib/use-call';
import { VisitLinkDialog } from '../video/VisitLinkDialog';

type Step = Extract<CallName, 'appointments.checkIn' | 'appointments.room' | 'appointments.startVisit' | 'appointments.checkOut' | 'appointments.noShow' | 'appointments.undoNoShow'>;

const steps: readonly { call: Step; to: Appointment['status']; label: string; perm: 'schedule.write' | 'visit.flow' }[] = [
  { call: 'appointments.checkIn', to: 'checked-in', label: 'Check in', perm: 'schedule.write' },
  { call: 'appointments.room', to: 'roomed', label: 'Room', perm: 'visit.flow' },
  { call: 'appointments.startVisit', to: 'with-provider', label: 'Start visit', perm: 'visit.flow' },
  { call: 'appointments.checkOut', to: 'checked-out', label: 'Check out', perm: 'schedule.write' },
  { call: 'appointments.noShow', to: 'no-show', label: 'No-show', perm: 'schedule.write' },
  { call: 'appointments.undoNoShow', to: 'scheduled', label: 'Undo no-show', perm: 'schedule.write' },
];

export function AppointmentActions({ appointment: a, onChanged, onMove, onOpenChart, onOpenEncounter, patientWaiting = false }: {
  appointment: Appointment;
  /** A video visit's patient is in the waiting room: the physician may start it with no check-in. */
  patientWaiting?: boolean;
  onChanged: () => void;
  onMove?: (a: Appointment) => void;
  onOpenChart?: (id: PatientId) => void;
  onOpenEncounter?: (patientId: PatientId, encounterId: EncounterId) => void;
}) {
  const api = useApi();
  const { can } = usePermissions();
  const { pending, error, run } = useCall();
  const [cancelling, setCancelling] = useState(false);
  const [linking, setLinking] = useState(false);
  const [reason, setReason] = useState('');
  const who = `${a.patientName} at ${a.start.slice(11, 16)}`;
  const allowed = nextStatuses[a.status];
  // The admission records check-in and rooming (visits.admit), so the physician need not wait for them.
  const startsVideo = a.mode === 'video' && patientWaiting && (a.status === 'scheduled' || a.status === 'checked-in' || a.status === 'roomed' || a.status === 'with-provider');

  return (
    <Stack gap={4}>
      <Group gap={6}>
        {steps.filter((s) => allowed.includes(s.to) && can(s.perm)).map((s) => (
          <Button key={s.call} size="xs" loading={pending} aria-label={`${s.label}: ${who}`}
            onClick={async () => { if (await run(api.call(s.call, { appointmentId: a.id }))) onChanged(); }}>
            {s.label}
          </Button>
        ))}
        {a.status === 'scheduled' && can('schedule.write') && onMove && (
          <Button size="xs" variant="light" aria-label={`Move: ${who}`} onClick={() => onMove(a)}>Move</Button>
        )}
        {allowed.includes('cancelled') && can('schedule.write') && (
          <Button size="xs" variant="light" color="red" aria-label={`Cancel: ${who}`} onClick={() => setCancelling(true)}>Cancel</Button>
        )}
        {onOpenEncounter && can('chart.clinical') && (startsVideo || a.status === 'roomed' || a.status === 'with-provider' || a.status === 'checked-out') && (
          <Button size="xs" variant={startsVideo ? 'filled' : 'light'} color={startsVideo ? 'grape' : undefined}
            aria-label={`${startsVideo ? 'Start video visit' : 'Visit note'}: ${who}`} onClick={async () => {
              const e = await run(api.call('encounters.open', { patientId: a.patientId, appointmentId: a.id }));
              if (e) onOpenEncounter(a.patientId, e.id);
            }}>{startsVideo ? 'Start video visit' : 'Visit note'}</Button>
        )}
        {a.mode === 'video' && can('schedule.read') && a.status !== 'cancelled' && a.status !== 'no-show' && (
          <Button size="xs" variant="light" aria-label={`Video link: ${who}`} onClick={() => setLinking(true)}>Video link</Button>
        )}
        {onOpenChart && can('patients.read') && (
          <Button size="xs" variant="subtle" aria-label={`Open chart: ${a.patientName}`} onClick={() => onOpenChart(a.patientId)}>Open chart</Button>
        )}
      </Group>
      <ErrorAlert error={error} />
      {linking && <VisitLinkDialog appointment={a} onClose={() => setLinking(false)} />}
      <Modal opened={cancelling} onClose={() => setCancelling(false)} title={`Cancel ${who}`}>
        <form onSubmit={async (e) => {
          e.preventDefault();
          if (await run(api.call('appointments.cancel', { appointmentId: a.id, reason }))) { setCancelling(false); setReason(''); onChanged(); }
        }}>
          <Stack>
            <Textarea label="Reason for cancelling" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <ErrorAlert error={error} />
            <Group><Button type="submit" color="red" loading={pending}>Cancel appointment</Button></Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
