// The audit entries, each with its user, patient and workstation by name.
import { Table, Text } from '@mantine/core';
import type { AuditEntry } from '../../../../shared/domain/audit';
import { useClock } from '../../lib/clock-context';

export function AuditTable({ rows }: { rows: readonly AuditEntry[] }) {
  const clock = useClock();
  if (rows.length === 0) return <Text c="dimmed">No entries match.</Text>;
  return (
    <Table aria-label="Audit entries" striped stickyHeader>
      <Table.Thead>
        <Table.Tr><Table.Th>When</Table.Th><Table.Th>User</Table.Th><Table.Th>Action</Table.Th><Table.Th>Patient</Table.Th><Table.Th>Workstation</Table.Th><Table.Th>Outcome</Table.Th><Table.Th>Detail</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={`${r.workstationId}-${r.seq}`}>
            <Table.Td>{clock.dateTime(r.at)}</Table.Td>
            <Table.Td>{r.userName ?? r.username ?? '—'}</Table.Td>
            <Table.Td>{r.action}</Table.Td>
            <Table.Td>{r.patientName ? `${r.patientName} · MRN ${r.patientMrn ?? ''}` : (r.patientId ? 'A patient not on this workstation' : '')}</Table.Td>
            <Table.Td>{r.workstationName}</Table.Td>
            <Table.Td>{r.outcome}</Table.Td>
            <Table.Td>{r.detail ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
