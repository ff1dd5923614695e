// "Kept aside by the restore", for practice admins on the Workstations page of a workstation
// that restored the clinic to a point in time: each change set made after that point, which
// workstation made it, when and what it wrote (no values), with *Re-apply* for the ones that were
// legitimate. Shown only when the restore kept something aside.
import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { KeptAside } from '../../../../shared/domain/restore';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useClock } from '../../lib/clock-context';
import { useCall } from '../../lib/use-call';

export function KeptAsidePanel() {
  const api = useApi();
  const clock = useClock();
  const { error, run } = useCall();
  const [kept, setKept] = useState<readonly KeptAside[]>([]);
  const load = useCallback(async () => { const r = await api.call('restore.keptAside', {}); if (r.ok) setKept(r.value); }, [api]);
  useEffect(() => { void load(); }, [load]);
  if (kept.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="kept-aside-title" mt="md">
      <Title order={2} size="h4" id="kept-aside-title">Kept aside by the restore</Title>
      <Text size="sm">
        The clinic was restored to an earlier point; these changes came after it and were taken back. Re-apply the ones that
        were legitimate: each is written again as a new change every workstation takes.
      </Text>
      <ErrorAlert error={error} />
      <Table aria-label="Changes kept aside">
        <Table.Thead><Table.Tr><Table.Th>Made</Table.Th><Table.Th>Workstation</Table.Th><Table.Th>What it wrote</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {kept.map((k) => (
            <Table.Tr key={k.msgId}>
              <Table.Td>{clock.shortDateTime(k.at)}</Table.Td>
              <Table.Td>{k.workstation}</Table.Td>
              <Table.Td>{k.summary} ({k.fields} field{k.fields === 1 ? '' : 's'})</Table.Td>
              <Table.Td>
                {k.reappliedAt ? <Badge color="teal">Re-applied</Badge> : (
                  <Button size="xs" variant="default" aria-label={`Re-apply the change of ${clock.shortDateTime(k.at)} from ${k.workstation}`}
                    onClick={async () => { if (await run(api.call('restore.reapply', { msgId: k.msgId }))) await load(); }}>Re-apply</Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
