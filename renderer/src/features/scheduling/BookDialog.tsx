// Booking (and moving) an appointment. Overlaps and hours outside the clinic's come back as
// warnings the user must confirm before anything is saved.
import { Alert, Button, Group, List, Modal, NativeSelect, NumberInput, Stack, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PatientId, UserId } from '../../../../shared/domain/ids';
import type { PatientSummary } from '../../../../shared/domain/patient';
import type { Appointment, AppointmentType, BookingWarning, Provider } from '../../../../shared/domain/scheduling';
import { ClockInput } from '../../components/ClockInput';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useClock } from '../../lib/clock-context';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { PatientPicker } from '../patients/PatientPicker';
import { timeOf } from './time';

export interface BookingDraft {
  date: string;
  time: string;
  providerId?: UserId;
  patient?: PatientSummary;
  /** Moving this appointment rather than booking a new one. */
  moving?: Appointment;
}

export function BookDialog({ draft, providers, types, onClose, onDone }: {
  draft: BookingDraft | null;
  providers: readonly Provider[];
  types: readonly AppointmentType[];
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const clock = useClock();
  const { pending, error, setError, run } = useCall();
  const [patientId, setPatientId] = useState<PatientId | null>(null);
  const [providerId, setProviderId] = useState('');
  const [typeId, setTypeId] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [duration, setDuration] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [warnings, setWarnings] = useState<readonly BookingWarning[] | null>(null);
  const activeTypes = types.filter((t) => t.active);

  useEffect(() => {
    if (!draft) return;
    const m = draft.moving;
    setPatientId((m?.patientId ?? draft.patient?.id ?? null) as PatientId | null);
    setProviderId(m?.providerId ?? draft.providerId ?? providers[0]?.userId ?? '');
    setTypeId(m?.typeId ?? activeTypes[0]?.id ?? '');
    setDate(m ? m.start.slice(0, 10) : draft.date);
    setTime(m ? timeOf(m.start) : draft.time);
    setDuration(m?.durationMinutes ?? '');
    setReason(m?.reason ?? '');
    setWarnings(null);
    setError(null);
  }, [draft]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (confirmWarnings: boolean) => {
    if (!draft) return;
    const start = `${date}T${time}`;
    const durationMinutes = duration === '' ? undefined : Number(duration);
    const outcome = draft.moving
      ? await run(api.call('appointments.move', { appointmentId: draft.moving.id, start, providerId: providerId as UserId, durationMinutes, confirmWarnings }))
      : await run(api.call('appointments.book', {
        patientId: (patientId ?? '') as PatientId, providerId: providerId as UserId, typeId: typeId as never, start, durationMinutes, reason, confirmWarnings,
      }));
    if (!outcome) return;
    if (outcome.status === 'needs-confirmation') setWarnings(outcome.warnings);
    else onDone();
  };

  return (
    <Modal opened={draft !== null} onClose={onClose} title={draft?.moving ? `Move ${draft.moving.patientName}` : 'Book an appointment'} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); void submit(false); }}>
        <Stack>
          {!draft?.moving && <PatientPicker value={patientId} onChange={setPatientId} initial={draft?.patient} autoFocus={!draft?.patient} />}
          <Group grow>
            <NativeSelect label="Provider" value={providerId} onChange={(e) => setProviderId(e.currentTarget.value)}
              data={providers.map((p) => ({ value: p.userId, label: p.displayName }))} />
            {!draft?.moving && (
              <NativeSelect label="Appointment type" value={typeId} onChange={(e) => setTypeId(e.currentTarget.value)}
                data={activeTypes.map((t) => ({ value: t.id, label: `${t.name} (${t.durationMinutes} min${t.mode === 'video' ? ', video' : ''})` }))} />
            )}
          </Group>
          <Group grow>
            <TextInput type="date" label="Date" required data-autofocus={draft?.moving || draft?.patient ? true : undefined} value={date} onChange={(e) => setDate(e.currentTarget.value)} />
            <ClockInput label="Time" required value={time} onChange={setTime} />
            <NumberInput label="Minutes" description="Blank: the type's length" min={5} max={480} value={duration} onChange={setDuration} />
          </Group>
          {!draft?.moving && <Textarea label="Reason for visit" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />}
          {warnings && (
            <Alert color="orange" title="Please confirm" role="alert">
              <List size="sm">
                {warnings.map((w, i) => (
                  <List.Item key={i}>
                    {w.kind === 'overlap'
                      ? `Overlaps ${w.appointments.map((a) => `${clock.time(timeOf(a.start))} ${a.patientName}`).join('; ')} for the same provider.`
                      : w.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <ErrorAlert error={error} />
          <Group>
            {warnings
              ? <Button color="orange" loading={pending} onClick={() => void submit(true)}>{draft?.moving ? 'Move anyway' : 'Book anyway'}</Button>
              : <Button type="submit" loading={pending}>{draft?.moving ? 'Move' : 'Book'}</Button>}
            <Button variant="default" onClick={onClose}>Cancel</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
