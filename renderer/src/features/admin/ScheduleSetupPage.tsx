// Schedule set-up for practice admins: who takes appointments, clinic hours, appointment types.
import { Button, Checkbox, Group, NativeSelect, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { AppointmentTypeId } from '../../../../shared/domain/ids';
import type { AppointmentType, ClinicHours, Provider, VisitMode } from '../../../../shared/domain/scheduling';
import { ClockInput } from '../../components/ClockInput';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function ScheduleSetupPage() {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [candidates, setCandidates] = useState<readonly Provider[]>([]);
  const [hours, setHours] = useState<ClinicHours>([]);
  const [types, setTypes] = useState<readonly AppointmentType[]>([]);
  const [saved, setSaved] = useState('');
  const [newType, setNewType] = useState({ name: '', durationMinutes: 20 as number | string, mode: 'in-person' as VisitMode });

  const load = useCallback(async () => {
    const [c, h, t] = await Promise.all([api.call('schedule.candidates', {}), api.call('schedule.hours', {}), api.call('schedule.types', {})]);
    if (c.ok) setCandidates(c.value);
    if (h.ok) setHours(h.value);
    if (t.ok) setTypes(t.value);
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  const saveType = async (t: { id?: AppointmentTypeId; name: string; durationMinutes: number; mode: VisitMode; active: boolean }) => {
    const { id, ...type } = t;
    if (await run(api.call('schedule.saveType', { id, type }))) await load();
  };

  return (
    <Stack>
      <Title order={1} size="h2">Schedule set-up</Title>
      <ErrorAlert error={error} />
      <Title order={2} size="h4">Who takes appointments</Title>
      {candidates.length === 0 && <Text c="dimmed">Add users with the physician or nurse role first.</Text>}
      {candidates.map((p) => (
        <Switch key={p.userId} label={`${p.displayName} (${p.roles.join(', ')})`} checked={p.active}
          onChange={async (e) => { if (await run(api.call('schedule.setProvider', { userId: p.userId, active: e.currentTarget.checked }))) await load(); }} />
      ))}

      <Title order={2} size="h4">Clinic hours</Title>
      <form aria-label="Clinic hours" onSubmit={async (e) => {
        e.preventDefault();
        setSaved('');
        if (await run(api.call('schedule.setHours', { hours }))) setSaved('Clinic hours saved.');
      }}>
        <Table>
          <Table.Tbody>
            {hours.map((d, i) => (
              <Table.Tr key={d.weekday}>
                <Table.Td><Checkbox label={`Open on ${weekdays[d.weekday]}`} checked={d.open} onChange={(e) => setHours(hours.map((x, j) => (j === i ? { ...x, open: e.currentTarget.checked } : x)))} /></Table.Td>
                <Table.Td><ClockInput aria-label={`${weekdays[d.weekday]} opens`} value={d.opens} disabled={!d.open} onChange={(v) => setHours(hours.map((x, j) => (j === i ? { ...x, opens: v } : x)))} /></Table.Td>
                <Table.Td><ClockInput aria-label={`${weekdays[d.weekday]} closes`} value={d.closes} disabled={!d.open} onChange={(v) => setHours(hours.map((x, j) => (j === i ? { ...x, closes: v } : x)))} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group mt="xs"><Button type="submit" loading={pending}>Save hours</Button>{saved && <Text role="status">{saved}</Text>}</Group>
      </form>

      <Title order={2} size="h4">Appointment types</Title>
      <Table aria-label="Appointment types">
        <Table.Tbody>
          {types.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>{t.name}</Table.Td>
              <Table.Td>{t.durationMinutes} min</Table.Td>
              <Table.Td>{t.mode === 'video' ? 'Video' : 'In person'}</Table.Td>
              <Table.Td><Switch aria-label={`${t.name} in use`} label="In use" checked={t.active} onChange={(e) => void saveType({ ...t, active: e.currentTarget.checked })} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form aria-label="Add an appointment type" onSubmit={async (e) => {
        e.preventDefault();
        await saveType({ name: newType.name, durationMinutes: Number(newType.durationMinutes), mode: newType.mode, active: true });
        setNewType({ name: '', durationMinutes: 20, mode: 'in-person' });
      }}>
        <Group align="flex-end">
          <TextInput label="Type name" value={newType.name} onChange={(e) => setNewType({ ...newType, name: e.currentTarget.value })} />
          <NumberInput label="Minutes" w={100} min={5} max={480} value={newType.durationMinutes} onChange={(v) => setNewType({ ...newType, durationMinutes: v })} />
          <NativeSelect label="Kind" value={newType.mode} onChange={(e) => setNewType({ ...newType, mode: e.currentTarget.value as VisitMode })}
            data={[{ value: 'in-person', label: 'In person' }, { value: 'video', label: 'Video' }]} />
          <Button type="submit" loading={pending}>Add type</Button>
        </Group>
      </form>
    </Stack>
  );
}
