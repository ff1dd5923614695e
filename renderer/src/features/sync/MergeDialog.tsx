// Comparing a patient flagged as a possible duplicate with the records it may be, and merging
// two of them into one when a person decides they are the same patient (with a reason, for the
// audit log). Nothing is merged without this decision.
import { Button, Group, Modal, Radio, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import type { Patient } from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function MergeDialog({ flaggedId, detail, onClose, onMerged }: { flaggedId: string; detail: string | null; onClose: () => void; onMerged: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [records, setRecords] = useState<readonly Patient[]>([]);
  const [keep, setKeep] = useState<string>('');
  const [other, setOther] = useState<string>('');
  const [reason, setReason] = useState('');

  useEffect(() => {
    void (async () => {
      const flagged = await run(api.call('patients.get', { patientId: flaggedId as PatientId }));
      if (!flagged) return;
      const found: Patient[] = [flagged];
      for (const mrn of detail?.match(/\d{9}/g) ?? []) {
        const hit = await run(api.call('patients.search', { query: mrn, limit: 1 }));
        const id = hit?.results[0]?.id;
        const p = id ? await run(api.call('patients.get', { patientId: id })) : null;
        if (p && p.id !== flagged.id) found.push(p);
      }
      setRecords(found);
      // By default the older record (registered first) is kept.
      const older = [...found].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      setKeep(older[0]?.id ?? '');
      setOther(older[1]?.id ?? '');
    })();
  }, [api, run, flaggedId, detail]);

  const mergeId = keep === flaggedId ? other : flaggedId;
  const rows: [string, (p: Patient) => string][] = [
    ['MRN', (p) => p.mrn], ['Name', (p) => `${p.familyName}, ${p.givenNames}`], ['Date of birth', (p) => p.dateOfBirth],
    ['Phone', (p) => p.phone], ['Email', (p) => p.email], ['Address', (p) => [p.addressLine1, p.city].filter(Boolean).join(', ')],
    ['Insurance', (p) => p.insurancePayer], ['Registered', (p) => new Date(p.createdAt).toLocaleString()],
  ];
  return (
    <Modal opened onClose={onClose} title="Possible duplicate patient" size="xl">
      <Stack>
        <ErrorAlert error={error} />
        {records.length < 2 ? <Text role="status">{records.length === 0 ? 'Loading the records…' : 'The other record is no longer there (merged or changed).'}</Text> : (
          <>
            <Table aria-label="Records compared">
              <Table.Thead><Table.Tr><Table.Th /> {records.map((p) => <Table.Th key={p.id}>MRN {p.mrn}</Table.Th>)}</Table.Tr></Table.Thead>
              <Table.Tbody>
                {rows.map(([label, get]) => (
                  <Table.Tr key={label}><Table.Th scope="row">{label}</Table.Th>{records.map((p) => <Table.Td key={p.id}>{get(p)}</Table.Td>)}</Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Radio.Group label="Keep which record?" description="Everything recorded under the other moves to it; blanks are filled from the other." value={keep} onChange={(v) => {
              if (v !== flaggedId) setOther(v);
              setKeep(v);
            }}>
              <Group mt="xs">{records.map((p) => <Radio key={p.id} value={p.id} label={`MRN ${p.mrn}`} />)}</Group>
            </Radio.Group>
            {keep === flaggedId && records.length > 2 && (
              <Radio.Group label="Merge which record into it?" value={other} onChange={setOther}>
                <Group mt="xs">{records.filter((p) => p.id !== flaggedId).map((p) => <Radio key={p.id} value={p.id} label={`MRN ${p.mrn}`} />)}</Group>
              </Radio.Group>
            )}
            <TextInput label="Why these are the same patient" description="Recorded in the audit log." required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button color="orange" loading={pending} disabled={records.length < 2 || reason.trim().length < 3 || !mergeId} onClick={async () => {
            if (await run(api.call('patients.merge', { keepId: keep as PatientId, mergeId: mergeId as PatientId, reason }))) onMerged();
          }}>Merge records</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
