// Undo one workstation's changes from a time on (after ransomware at it), or one user's on every
// workstation (a misused account), for practice admins: first a preview from the clinic's history (how many change sets, which
// patients and records, what was changed again since and is left as it is, rows it created),
// then the undo, written as new changes that reach every workstation.
import { Alert, Button, Group, List, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DeviceInfo } from '../../../../shared/domain/sync';
import type { UndoApplied, UndoPreview } from '../../../../shared/domain/undo';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const SHOWN = 50;

/** Whose changes: a workstation's (from Workstations), or a user's (from Users). */
export function UndoDialog({ device = null, user = null, onClose }: { device?: DeviceInfo | null; user?: { readonly id: string; readonly displayName: string } | null; onClose: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [from, setFrom] = useState('');
  const [preview, setPreview] = useState<UndoPreview | null>(null);
  const [applied, setApplied] = useState<UndoApplied | null>(null);
  const close = () => { setPreview(null); setApplied(null); setFrom(''); onClose(); };
  const input = () => ({ ...(user ? { userId: user.id } : { deviceId: device?.deviceId ?? '' }), after: new Date(from).toISOString() });
  return (
    <Modal opened={device !== null || user !== null} onClose={close} size="lg" title={user ? `Undo changes made by ${user.displayName}` : `Undo changes made at ${device?.name ?? ''}`}>
      <Stack>
        <form aria-label="Which changes to undo" onSubmit={async (e) => {
          e.preventDefault();
          setApplied(null);
          if (!from || Number.isNaN(Date.parse(from))) return;
          setPreview(await run(api.call('undo.preview', input())));
        }}>
          <Group align="end">
            <TextInput type="datetime-local" step={1} label={user ? 'Undo their changes made from' : 'Undo its changes made from'} required description="The time of the first bad change (the audit log shows it)"
              value={from} onChange={(e) => { setFrom(e.currentTarget.value); setPreview(null); }} />
            <Button type="submit" variant="light" loading={pending && !preview}>Preview</Button>
          </Group>
        </form>
        <ErrorAlert error={error} />
        {preview && !applied && (
          <Stack gap="xs" aria-label="What the undo would do" role="region">
            <Text>
              {preview.changeSets} change set{preview.changeSets === 1 ? '' : 's'} from {preview.whose}: {preview.fields} field{preview.fields === 1 ? '' : 's'} of{' '}
              {preview.patients.length} patient{preview.patients.length === 1 ? '' : 's'} go back to what they were before.
            </Text>
            {preview.records.length > 0 && (
              <Table aria-label="Records the undo changes">
                <Table.Thead><Table.Tr><Table.Th>Record</Table.Th><Table.Th>Fields</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>{preview.records.map((r) => <Table.Tr key={r.table}><Table.Td>{r.table.replace(/_/g, ' ')}</Table.Td><Table.Td>{r.fields}</Table.Td></Table.Tr>)}</Table.Tbody>
              </Table>
            )}
            {preview.patients.length > 0 && (
              <List size="sm" aria-label="Patients the undo touches">
                {preview.patients.slice(0, SHOWN).map((p) => <List.Item key={p.id}>{p.name} (MRN {p.mrn})</List.Item>)}
                {preview.patients.length > SHOWN && <List.Item>and {preview.patients.length - SHOWN} more</List.Item>}
              </List>
            )}
            {preview.changedSince.length > 0 && (
              <Alert color="orange" title="Changed again since: left as they are">
                {preview.changedSince.length} field{preview.changedSince.length === 1 ? ' was' : 's were'} written again after by someone else; the undo keeps
                those later values. Look at them after: {[...new Set(preview.changedSince.map((c) => c.column.replace(/_/g, ' ')))].join(', ')}.
              </Alert>
            )}
            {preview.createdRows.length > 0 && (
              <Alert color="orange" title="Created by that workstation">{preview.createdRows.length} record{preview.createdRows.length === 1 ? '' : 's'} it created stay; review them (for a patient registered there, the chart).</Alert>
            )}
            {preview.unreadable > 0 && <Text size="sm" c="orange.9">{preview.unreadable} message{preview.unreadable === 1 ? '' : 's'} of the history could not be opened here and are not part of it.</Text>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>Cancel</Button>
              <Button color="red" disabled={preview.fields === 0} loading={pending} onClick={async () => setApplied(await run(api.call('undo.apply', input())))}>Undo these changes</Button>
            </Group>
          </Stack>
        )}
        {applied && (
          <Alert color="teal" role="status" title="Undone">
            {applied.fields} field{applied.fields === 1 ? '' : 's'} from {applied.changeSets} change set{applied.changeSets === 1 ? '' : 's'} went back, as {applied.written} new change set{applied.written === 1 ? '' : 's'} that every workstation takes.
            {applied.changedSince.length > 0 && ` ${applied.changedSince.length} field${applied.changedSince.length === 1 ? '' : 's'} changed since were left as they are.`}
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}
