// Today's live queue for the front desk and clinicians: every appointment of the day with who it
// is (name, date of birth, age), why they come, how long they have waited, its step in the flow
// with the time of each step, and the next actions the user's role allows.
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { ageText } from '../../../../shared/domain/patient';
import type { Appointment } from '../../../../shared/domain/scheduling';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../patients/format';
import { AppointmentActions } from './AppointmentActions';
import { statusColor, statusLabel } from './status';
import { longDay, timeOf, todayLocal } from './time';
import { useSchedule } from './use-schedule';
import { useWaitingVisits } from '../video/use-waiting';
import { useClock } from '../../lib/clock-context';

/** Minutes a patient has waited: from check-in until the provider saw them (or until now). */
function waited(a: Appointment, now: number): string {
  if (!a.checkedInAt) return '';
  const until = a.withProviderAt ? Date.parse(a.withProviderAt) : a.status === 'checked-out' ? Date.parse(a.checkedOutAt ?? a.checkedInAt) : now;
  const minutes = Math.max(0, Math.round((until - Date.parse(a.checkedInAt)) / 60_000));
  return a.withProviderAt || a.status === 'checked-out' ? `waited ${minutes} min` : `waiting ${minutes} min`;
}

/** Re-renders every half minute, so waiting times count up while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function QueuePage({ onOpenChart, onOpenEncounter }: { onOpenChart: (id: PatientId) => void; onOpenEncounter: (patientId: PatientId, encounterId: EncounterId) => void }) {
  const today = todayLocal();
  const clock = useClock();
  const now = useNow();
  const { appointments, error, reload } = useSchedule(today, today);
  const live = appointments.filter((a) => a.status !== 'cancelled');
  const expected = live.filter((a) => a.status !== 'no-show');
  // "Seen" means what the rows say: the provider saw the patient (the "seen" time in each row).
  const seen = expected.filter((a) => a.withProviderAt).length;
  const out = expected.filter((a) => a.status === 'checked-out').length;
  const waiting = useWaitingVisits();
  return (
    <Stack>
      <Title order={1} size="h2">Today</Title>
      <Text role="status" aria-label="Today's count">{longDay(today)} · {seen} of {expected.length} seen · {out} checked out</Text>
      <ErrorAlert error={error} />
      <Table aria-label="Today's patients" striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th><Table.Th>Patient</Table.Th><Table.Th>Provider</Table.Th><Table.Th>Visit</Table.Th>
            <Table.Th>Status</Table.Th><Table.Th>Progress</Table.Th><Table.Th>Next</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {live.map((a) => (
            <Table.Tr key={a.id} aria-label={`${clock.time(timeOf(a.start))} ${a.patientName}`}>
              <Table.Td>{clock.time(timeOf(a.start))}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>{a.patientName}</Text>
                <Text size="xs" c="dimmed">Born {formatDate(a.patientDateOfBirth)} · {ageText(a.patientDateOfBirth, today)}</Text>
              </Table.Td>
              <Table.Td>{a.providerName}</Table.Td>
              <Table.Td>
                <Text size="sm">{a.typeName}{a.mode === 'video' ? ' (video)' : ''}</Text>
                {a.reason && <Text size="xs" c="dimmed" lineClamp={2}>{a.reason}</Text>}
              </Table.Td>
              <Table.Td>
                <Badge color={statusColor[a.status]}>{statusLabel[a.status]}</Badge>
                {a.overlaps && <Badge ml={4} color="red">Double-booked</Badge>}
                {waiting.has(a.id) && <Badge ml={4} color="grape">Patient waiting</Badge>}
                {waited(a, now) && <Text size="xs" mt={2}>{waited(a, now)}</Text>}
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {([['in', a.checkedInAt], ['roomed', a.roomedAt], ['seen', a.withProviderAt], ['signed', a.noteSignedAt], ['out', a.checkedOutAt]] as const)
                    .filter(([, t]) => t).map(([k, t]) => `${k} ${clock.at(t)}`).join(' · ')}
                </Text>
              </Table.Td>
              <Table.Td><AppointmentActions appointment={a} onChanged={() => void reload()} onOpenChart={onOpenChart} onOpenEncounter={onOpenEncounter} patientWaiting={waiting.has(a.id)} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {live.length === 0 && <Text>No appointments today.</Text>}
    </Stack>
  );
}
