// The audit report for admins: the whole clinic's trail (every workstation's rows), who did
// what, to which patient, when and on which workstation, by name; filtered by patient (name or
// MRN), user, workstation and date; exported as CSV or printed (Save as PDF) for an accounting
// of disclosures; and a check of every workstation's hash chain.
import { Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditEntry, AuditFilter } from '../../../../shared/domain/audit';
import type { EmergencyAccess } from '../../../../shared/domain/chart';
import type { UserId } from '../../../../shared/domain/ids';
import type { User } from '../../../../shared/domain/user';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { useClock } from '../../lib/clock-context';
import { AuditIntegrity } from './AuditIntegrity';
import { AuditTable } from './AuditTable';

/** Printed, the sheet is the title, the filters in words and the rows: no app frame, no controls. */
const printStyle = `@media print {
  body * { visibility: hidden !important; } .audit-sheet, .audit-sheet * { visibility: visible !important; }
  .audit-sheet { position: absolute; left: 0; top: 0; width: 100%; } .audit-sheet .no-print { display: none !important; } .print-only { display: block !important; }
} .print-only { display: none; }`;

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AuditPage() {
  const clock = useClock();
  const api = useApi();
  const { error, run } = useCall();
  const [users, setUsers] = useState<readonly User[]>([]);
  const [userId, setUserId] = useState('');
  const [patient, setPatient] = useState('');
  const [workstationId, setWorkstationId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<readonly AuditEntry[]>([]);
  const [shown, setShown] = useState<AuditFilter>({});
  /** Every workstation seen in the trail so far, for the filter. */
  const [workstations, setWorkstations] = useState<ReadonlyMap<string, string>>(new Map());
  const [emergencies, setEmergencies] = useState<readonly EmergencyAccess[]>([]);

  useEffect(() => {
    void run(api.call('users.list', {})).then((u) => u && setUsers(u));
    void run(api.call('audit.emergencyAccesses', {})).then((e) => e && setEmergencies(e));
  }, [api, run]);

  const filter = (): AuditFilter => ({
    userId: (userId || undefined) as UserId | undefined,
    patient: patient.trim() || undefined,
    workstationId: workstationId || undefined,
    from: from || undefined,
    to: to || undefined,
  });
  const search = async () => {
    const f = filter();
    const r = await run(api.call('audit.query', { ...f, limit: 500 }));
    if (!r) return;
    setRows(r);
    setShown(f);
    setWorkstations((known) => new Map([...known, ...r.map((e): [string, string] => [e.workstationId, e.workstationName])]));
  };
  useEffect(() => { void search(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const exportCsv = async () => {
    const r = await run(api.call('audit.export', filter()));
    if (r) download(r.filename, r.csv);
  };
  const userLabel = users.find((u) => u.id === shown.userId)?.displayName;
  const filterWords = [
    shown.patient && `patient “${shown.patient}”`, userLabel && `user ${userLabel}`, shown.workstationId && `workstation ${workstations.get(shown.workstationId) ?? ''}`,
    shown.from && `from ${shown.from}`, shown.to && `to ${shown.to}`,
  ].filter(Boolean).join(', ');

  return (
    <Stack className="audit-sheet">
      <style>{printStyle}</style>
      <Title order={1} size="h2">Audit log</Title>
      <Text className="print-only">Accounting of disclosures{filterWords ? `: ${filterWords}` : ''}. Printed {clock.dateTime(new Date().toISOString())}; {rows.length} entries.</Text>
      <form className="no-print" onSubmit={(e) => { e.preventDefault(); void search(); }} aria-label="Filter the audit log">
        <Group align="flex-end">
          <TextInput label="Patient (name or MRN)" value={patient} onChange={(e) => setPatient(e.currentTarget.value)} />
          <NativeSelect label="User" value={userId} onChange={(e) => setUserId(e.currentTarget.value)}
            data={[{ value: '', label: 'Everyone' }, ...users.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))]} />
          <NativeSelect label="Workstation" value={workstationId} onChange={(e) => setWorkstationId(e.currentTarget.value)}
            data={[{ value: '', label: 'Every workstation' }, ...[...workstations].map(([value, label]) => ({ value, label }))]} />
          <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <Button type="submit">Show</Button>
        </Group>
      </form>
      <Group className="no-print">
        <Button variant="light" onClick={() => void exportCsv()}>Export CSV</Button>
        <Button variant="light" onClick={() => window.print()}>Print / Save as PDF</Button>
      </Group>
      <ErrorAlert error={error} />
      <div className="no-print"><AuditIntegrity /></div>
      <div className="no-print">
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
      </div>
      <Title order={2} size="h4">Entries{filterWords ? ` (${filterWords})` : ''}</Title>
      <AuditTable rows={rows} />
    </Stack>
  );
}
