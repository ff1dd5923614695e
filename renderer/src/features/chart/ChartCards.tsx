// The chart's lists, each a card with what is recorded and, for roles that may, a short form
// to add to it: problems, immunizations, labs (with "entered in error"). Allergies and
// medications have their own files.
import { Badge, Button, Card, Group, List, NumberInput, Table, Text, TextInput, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { ChartSummary, LabResult } from '../../../../shared/domain/chart';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from '../patients/format';
import { CorrectionDialog, CorrectionLine } from './Corrections';

export interface CardProps {
  patientId: PatientId;
  summary: ChartSummary;
  canEdit: boolean;
  onChanged: () => void;
}

export function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">{title}</Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

export function ProblemsCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [description, setDescription] = useState('');
  const [icd10, setIcd10] = useState('');
  const [onset, setOnset] = useState('');
  return (
    <Section title="Problems">
      <List spacing={2}>
        {summary.problems.map((p) => (
          <List.Item key={p.id}>
            <Text span td={p.status === 'resolved' ? 'line-through' : undefined}>{p.description}</Text>
            {p.icd10 && <Text span c="dimmed"> ({p.icd10})</Text>}
            {p.onset && <Text span size="sm" c="dimmed"> since {formatDate(p.onset)}</Text>}
            {p.status === 'resolved' && <Badge ml={4} size="xs" color="gray">resolved</Badge>}
            {canEdit && p.status === 'active' && (
              <Button size="compact-xs" variant="subtle" ml={4} aria-label={`Mark ${p.description} resolved`} onClick={async () => {
                if (await run(api.call('problems.update', { patientId, problemId: p.id, problem: { description: p.description, icd10: p.icd10, onset: p.onset, status: 'resolved' } }))) onChanged();
              }}>Resolve</Button>
            )}
          </List.Item>
        ))}
      </List>
      {summary.problems.length === 0 && <Text c="dimmed">None recorded</Text>}
      {canEdit && (
        <form aria-label="Add a problem" onSubmit={async (e) => {
          e.preventDefault();
          if (await run(api.call('problems.add', { patientId, problem: { description, icd10, onset } }))) { setDescription(''); setIcd10(''); setOnset(''); onChanged(); }
        }}>
          <Group align="flex-end" mt="sm" gap="xs">
            <TextInput label="Problem" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <TextInput label="ICD-10-CM" w={110} value={icd10} onChange={(e) => setIcd10(e.currentTarget.value)} />
            <TextInput type="date" label="Onset" value={onset} max={todayIso()} onChange={(e) => setOnset(e.currentTarget.value)} />
            <Button type="submit" loading={pending}>Add problem</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
    </Section>
  );
}

export function ImmunizationsCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [imm, setImm] = useState({ vaccine: '', cvx: '', date: todayIso(), lot: '' });
  const set = (k: keyof typeof imm) => (e: React.ChangeEvent<HTMLInputElement>) => setImm({ ...imm, [k]: e.currentTarget.value });
  return (
    <Section title="Immunizations">
      <List spacing={2}>
        {summary.immunizations.map((i) => (
          <List.Item key={i.id}>{formatDate(i.date)} · <strong>{i.vaccine}</strong>{i.cvx && ` (CVX ${i.cvx})`}{i.lot && ` · lot ${i.lot}`}</List.Item>
        ))}
      </List>
      {summary.immunizations.length === 0 && <Text c="dimmed">None recorded</Text>}
      {canEdit && (
        <form aria-label="Add an immunization" onSubmit={async (e) => {
          e.preventDefault();
          if (await run(api.call('immunizations.add', { patientId, immunization: imm }))) { setImm({ vaccine: '', cvx: '', date: todayIso(), lot: '' }); onChanged(); }
        }}>
          <Group align="flex-end" mt="sm" gap="xs">
            <TextInput label="Vaccine" value={imm.vaccine} onChange={set('vaccine')} />
            <TextInput label="CVX" w={70} value={imm.cvx} onChange={set('cvx')} />
            <TextInput type="date" label="Given on" value={imm.date} max={todayIso()} onChange={set('date')} />
            <TextInput label="Lot" w={100} value={imm.lot} onChange={set('lot')} />
            <Button type="submit" loading={pending}>Add immunization</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
    </Section>
  );
}

export function LabsCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const blank = { test: '', loinc: '', value: '' as number | string, unit: '', refLow: '' as number | string, refHigh: '' as number | string, collectedOn: todayIso() };
  const [lab, setLab] = useState(blank);
  const [marking, setMarking] = useState<LabResult | null>(null);
  const correcting = useCall();
  const n = (v: number | string) => (v === '' ? null : Number(v));
  return (
    <Section title="Lab results">
      <Table aria-label="Lab results">
        <Table.Tbody>
          {summary.labs.map((l) => {
            const err = l.enteredInError;
            const struck = err ? 'line-through' : undefined;
            return (
              <Table.Tr key={l.id} aria-label={`${l.test} ${formatDate(l.collectedOn)}${err ? ', entered in error' : ''}`}>
                <Table.Td><Text span inherit td={struck}>{formatDate(l.collectedOn)}</Text></Table.Td>
                <Table.Td>
                  <Text span td={struck}>{l.test}</Text>{l.loinc && <Text span c="dimmed"> ({l.loinc})</Text>}
                  {err && <div><CorrectionLine label="Entered in error" correction={err} /></div>}
                </Table.Td>
                <Table.Td td={struck} fw={!err && (l.flag === 'high' || l.flag === 'low') ? 700 : undefined}>{l.value} {l.unit}</Table.Td>
                <Table.Td td={struck}>{l.refLow ?? ''}–{l.refHigh ?? ''}</Table.Td>
                <Table.Td>{!err && (l.flag === 'high' || l.flag === 'low') && <Badge color="red">{l.flag}</Badge>}</Table.Td>
                <Table.Td>{canEdit && !err && (
                  <Button size="compact-xs" variant="subtle" color="red" aria-label={`Mark ${l.test} of ${formatDate(l.collectedOn)} entered in error`} onClick={() => setMarking(l)}>Entered in error</Button>
                )}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {summary.labs.length === 0 && <Text c="dimmed">None recorded</Text>}
      {canEdit && (
        <form aria-label="Add a lab result" onSubmit={async (e) => {
          e.preventDefault();
          const input = { test: lab.test, loinc: lab.loinc, value: Number(lab.value), unit: lab.unit, refLow: n(lab.refLow), refHigh: n(lab.refHigh), collectedOn: lab.collectedOn };
          if (await run(api.call('labs.add', { patientId, lab: input }))) { setLab(blank); onChanged(); }
        }}>
          <Group align="flex-end" mt="sm" gap="xs">
            <TextInput label="Test" value={lab.test} onChange={(e) => setLab({ ...lab, test: e.currentTarget.value })} />
            <TextInput label="LOINC" w={90} value={lab.loinc} onChange={(e) => setLab({ ...lab, loinc: e.currentTarget.value })} />
            <NumberInput label="Value" w={90} value={lab.value} onChange={(v) => setLab({ ...lab, value: v })} />
            <TextInput label="Unit" w={80} value={lab.unit} onChange={(e) => setLab({ ...lab, unit: e.currentTarget.value })} />
            <NumberInput label="Range low" w={90} value={lab.refLow} onChange={(v) => setLab({ ...lab, refLow: v })} />
            <NumberInput label="Range high" w={90} value={lab.refHigh} onChange={(v) => setLab({ ...lab, refHigh: v })} />
            <TextInput type="date" label="Collected" value={lab.collectedOn} onChange={(e) => setLab({ ...lab, collectedOn: e.currentTarget.value })} />
            <Button type="submit" loading={pending}>Add result</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
      <CorrectionDialog key={marking?.id ?? 'none'} title="Lab result entered in error" opened={marking !== null} action="Mark entered in error"
        what={marking ? `${marking.test} ${marking.value} ${marking.unit}, ${formatDate(marking.collectedOn)}` : ''}
        reasons={['Entered for the wrong patient', 'Wrong value typed', 'Sample haemolysed or contaminated', 'Duplicate entry']}
        pending={correcting.pending} error={correcting.error} onClose={() => setMarking(null)}
        onConfirm={async (reason) => {
          if (marking && (await correcting.run(api.call('labs.markError', { patientId, labId: marking.id, reason })))) { setMarking(null); onChanged(); }
        }} />
    </Section>
  );
}
