// The audit report for admins: who did what, to which record, when and where; and a check of
// the hash chain that shows whether anyone altered the log.
import { Alert, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditEntry, AuditVerification } from '../../../../shared/domain/audit';
import type { EmergencyAccess } from '../../../../shared/domain/chart';
import type { PatientId, UserId } from '../../../../shared/domain/ids';
import type { User } from '../../../../shared/domain/user';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { useClock } from '../../lib/clock-context';

export function AuditPage() {
  const clock = useClock();
  const api = useApi();
  const { error, run } = useCall();
  const [users, setUsers] = useState<readonly User[]>([]);
  const [userId, setUserId] = useState('');
  const [patientId, setPatientId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<readonly AuditEntry[]>([]);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [emergencies, setEmergencies] = useState<readonly EmergencyAccess[]>([]);

  useEffect(() => {
    void run(api.call('users.list', {})).then((u) => u && setUsers(u));
    void run(api.call('audit.emergencyAccesses', {})).then((e) => e && setEmergencies(e));
  }, [api, run]);

  const search = async () => {
    const r = await run(api.call('audit.query', {
      userId: (userId || undefined) as UserId | undefined,
      patientId: (patientId.trim() || undefined) as PatientId | undefined,
      from: from || undefined,
      to: to || undefined,
      limit: 500,
    }));
    if (r) setRows(r);
  };
  useEffect(() => { void search(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Stack>
      <Title order={1} size="h2">Audit log</Title>
      <form onSubmit={(e) => { e.preventDefault(); void search(); }} aria-label="Filter the audit log">
        <Group align="flex-end">
          <NativeSelect label="User" value={userId} onChange={(e) => setUserId(e.currentTarget.value)}
            data={[{ value: '', label: 'Everyone' }, ...users.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))]} />
          <TextInput label="Patient ID" value={patientId} onChange={(e) => setPatientId(e.currentTarget.value)} />
          <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <Button type="submit">Show</Button>
          <Button variant="light" onClick={async () => setVerification(await run(api.call('audit.verify', {})))}>Check integrity</Button>
        </Group>
      </form>
      <ErrorAlert error={error} />
      {verification && (
        <Alert role="status" color={verification.ok ? 'teal' : 'red'} title={verification.ok ? 'Audit log intact' : 'Audit log altered'}>
          {verification.ok ? `All ${verification.rows} entries are intact.` : verification.problems.join(' ')}
        </Alert>
      )}
      <Title order={2} size="h4">Emergency access</Title>
      {emergencies.length === 0 ? <Text c="dimmed">No one has used emergency access.</Text> : (
        <Table aria-label="Emergency accesses" striped>
          <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>User</Table.Th><Table.Th>Patient</Table.Th><Table.Th>Reason</Table.Th><Table.Th>Until</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {emergencies.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{clock.dateTime(e.grantedAt)}</Table.Td><Table.Td>{e.username}</Table.Td><Table.Td>{e.patientName}</Table.Td>
                <Table.Td>{e.reason}</Table.Td><Table.Td>{clock.at(e.expiresAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={2} size="h4">All entries</Title>
      <Table aria-label="Audit entries" striped stickyHeader>
        <Table.Thead>
          <Table.Tr><Table.Th>When</Table.Th><Table.Th>User</Table.Th><Table.Th>Action</Table.Th><Table.Th>Patient</Table.Th><Table.Th>Outcome</Table.Th><Table.Th>Workstation</Table.Th><Table.Th>Detail</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.seq}>
              <Table.Td>{clock.dateTime(r.at)}</Table.Td>
              <Table.Td>{r.username ?? '—'}</Table.Td>
              <Table.Td>{r.action}</Table.Td>
              <Table.Td>{r.patientId ?? ''}</Table.Td>
              <Table.Td>{r.outcome}</Table.Td>
              <Table.Td>{r.workstationId}</Table.Td>
              <Table.Td>{r.detail ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
