// Today's live queue for the front desk and clinicians: every appointment of the day with its
// step in the flow, the time of each step, and the next actions the user's role allows.
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AppointmentActions } from './AppointmentActions';
import { statusColor, statusLabel } from './status';
import { clockTime, longDay, timeOf, todayLocal } from './time';
import { useSchedule } from './use-schedule';
import { useWaitingVisits } from '../video/use-waiting';

export function QueuePage({ onOpenChart, onOpenEncounter }: { onOpenChart: (id: PatientId) => void; onOpenEncounter: (patientId: PatientId, encounterId: EncounterId) => void }) {
  const today = todayLocal();
  const { appointments, error, reload } = useSchedule(today, today);
  const live = appointments.filter((a) => a.status !== 'cancelled');
  const waiting = useWaitingVisits();
  return (
    <Stack>
      <Title order={1} size="h2">Today</Title>
      <Text>{longDay(today)} · {live.filter((a) => a.status === 'checked-out').length} of {live.length} seen</Text>
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
            <Table.Tr key={a.id} aria-label={`${timeOf(a.start)} ${a.patientName}`}>
              <Table.Td>{timeOf(a.start)}</Table.Td>
              <Table.Td>{a.patientName}</Table.Td>
              <Table.Td>{a.providerName}</Table.Td>
              <Table.Td>{a.typeName}{a.mode === 'video' ? ' (video)' : ''}</Table.Td>
              <Table.Td><Badge color={statusColor[a.status]}>{statusLabel[a.status]}</Badge>{a.overlaps && <Badge ml={4} color="red">Double-booked</Badge>}{waiting.has(a.id) && <Badge ml={4} color="grape">Patient waiting</Badge>}</Table.Td>
              <Table.Td>
                <Text size="xs">
                  {([['in', a.checkedInAt], ['roomed', a.roomedAt], ['seen', a.withProviderAt], ['out', a.checkedOutAt]] as const)
                    .filter(([, t]) => t).map(([k, t]) => `${k} ${clockTime(t)}`).join(' · ')}
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
