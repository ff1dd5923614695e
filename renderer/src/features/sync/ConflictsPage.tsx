// Conflicts that sync kept for a person: changes to a signed note made elsewhere, and patients
// registered on two workstations who may be the same person.
import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SyncConflict } from '../../../../shared/domain/sync';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { MergeDialog } from './MergeDialog';

const kindLabel: Readonly<Record<SyncConflict['kind'], string>> = {
  'signed-note-changed': 'Change to a signed note',
  'possible-duplicate': 'Possible duplicate patient',
};

export function ConflictsPage() {
  const api = useApi();
  const { error, run } = useCall();
  const [rows, setRows] = useState<readonly SyncConflict[]>([]);
  const [comparing, setComparing] = useState<SyncConflict | null>(null);
  const load = useCallback(() => void run(api.call('sync.conflicts', {})).then((r) => r && setRows(r)), [api, run]);
  useEffect(load, [load]);
  return (
    <Stack>
      <Title order={1} size="h2">Sync conflicts</Title>
      <Text>Sync never overwrites a signed note and never merges patients by itself. These need a person.</Text>
      <ErrorAlert error={error} />
      {rows.length === 0 ? <Text role="status">Nothing to resolve.</Text> : (
        <Table aria-label="Sync conflicts" striped>
          <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Field</Table.Th><Table.Th>Kept value</Table.Th><Table.Th>Detail</Table.Th><Table.Th>Action</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{new Date(c.recordedAt).toLocaleString()}</Table.Td>
                <Table.Td><Badge color={c.kind === 'possible-duplicate' ? 'orange' : 'red'}>{kindLabel[c.kind]}</Badge></Table.Td>
                <Table.Td>{c.column ?? ''}</Table.Td>
                <Table.Td>{c.value ? (JSON.parse(c.value) as string) : ''}</Table.Td>
                <Table.Td>{c.detail ?? ''}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {c.kind === 'possible-duplicate' && <Button size="xs" variant="light" onClick={() => setComparing(c)}>Compare and merge</Button>}
                    <Button size="xs" variant="subtle" onClick={async () => { if (await run(api.call('sync.resolveConflict', { id: c.id }))) load(); }}>
                      {c.kind === 'possible-duplicate' ? 'Not the same patient' : 'Mark as reviewed'}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {comparing && <MergeDialog flaggedId={comparing.rowId} detail={comparing.detail} onClose={() => setComparing(null)} onMerged={() => { setComparing(null); load(); }} />}
    </Stack>
  );
}
