// The chart's lists, each a card with what is recorded and, for roles that may, a short form
// to add to it: allergies, problems, medications (with the allergy check), immunizations, labs.
import { Alert, Badge, Button, Card, Group, List, Modal, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { Allergy, ChartSummary } from '../../../../shared/domain/chart';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from '../patients/format';

interface CardProps {
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

export function AllergiesCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [substance, setSubstance] = useState('');
  const [reaction, setReaction] = useState('');
  const [severity, setSeverity] = useState<Allergy['severity']>('unknown');
  return (
    <Section title="Allergies">
      {summary.allergyStatus === 'none' && <Text>No known allergies</Text>}
      {summary.allergyStatus === 'unknown' && <Text c="dimmed">Not recorded yet</Text>}
      <List spacing={2}>
        {summary.allergies.map((a) => (
          <List.Item key={a.id}>
            <strong>{a.substance}</strong>{a.reaction ? ` — ${a.reaction}` : ''} <Badge size="xs" color={a.severity === 'severe' ? 'red' : 'gray'}>{a.severity}</Badge>
          </List.Item>
        ))}
      </List>
      {canEdit && (
        <form aria-label="Add an allergy" onSubmit={async (e) => {
          e.preventDefault();
          if (await run(api.call('allergies.add', { patientId, allergy: { substance, reaction, severity } }))) { setSubstance(''); setReaction(''); onChanged(); }
        }}>
          <Group align="flex-end" mt="sm" gap="xs">
            <TextInput label="Allergy to" value={substance} onChange={(e) => setSubstance(e.currentTarget.value)} />
            <TextInput label="Reaction" value={reaction} onChange={(e) => setReaction(e.currentTarget.value)} />
            <NativeSelect label="Severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Allergy['severity'])}
              data={['mild', 'moderate', 'severe', 'unknown']} />
            <Button type="submit" loading={pending}>Add allergy</Button>
            {summary.allergies.length === 0 && summary.allergyStatus !== 'none' && (
              <Button variant="light" loading={pending} onClick={async () => { if (await run(api.call('allergies.setNoneKnown', { patientId }))) onChanged(); }}>
                No known allergies
              </Button>
            )}
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
    </Section>
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

export function MedicationsCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const empty = { name: '', dose: '', route: 'oral', frequency: '', rxnorm: '', start: todayIso(), stop: '' };
  const [med, setMed] = useState(empty);
  const [warning, setWarning] = useState<readonly Allergy[] | null>(null);
  const set = (k: keyof typeof empty) => (e: React.ChangeEvent<HTMLInputElement>) => setMed({ ...med, [k]: e.currentTarget.value });
  const add = async (acknowledgeAllergies: boolean) => {
    const r = await run(api.call('medications.add', { patientId, medication: med, acknowledgeAllergies }));
    if (!r) return;
    if (r.status === 'allergy-warning') { setWarning(r.allergies); return; }
    setWarning(null);
    setMed(empty);
    onChanged();
  };
  const today = todayIso();
  return (
    <Section title="Medications">
      <Table aria-label="Medications">
        <Table.Tbody>
          {summary.medications.map((m) => {
            const stopped = m.stop !== '' && m.stop < today;
            return (
              <Table.Tr key={m.id} style={{ opacity: stopped ? 0.6 : 1 }}>
                <Table.Td><strong>{m.name}</strong> {m.dose} {m.route} {m.frequency}{m.rxnorm && <Text span c="dimmed"> (RxNorm {m.rxnorm})</Text>}</Table.Td>
                <Table.Td>{m.start && `from ${formatDate(m.start)}`}{m.stop && ` to ${formatDate(m.stop)}`}</Table.Td>
                <Table.Td>{canEdit && !m.stop && (
                  <Button size="compact-xs" variant="subtle" aria-label={`Stop ${m.name}`} onClick={async () => {
                    if (await run(api.call('medications.stop', { patientId, medicationId: m.id, stop: today }))) onChanged();
                  }}>Stop today</Button>
                )}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {summary.medications.length === 0 && <Text c="dimmed">None recorded</Text>}
      {canEdit && (
        <form aria-label="Add a medication" onSubmit={(e) => { e.preventDefault(); void add(false); }}>
          <Group align="flex-end" mt="sm" gap="xs">
            <TextInput label="Medication" value={med.name} onChange={set('name')} />
            <TextInput label="Dose" w={90} value={med.dose} onChange={set('dose')} />
            <TextInput label="Route" w={80} value={med.route} onChange={set('route')} />
            <TextInput label="Frequency" w={110} value={med.frequency} onChange={set('frequency')} />
            <TextInput label="RxNorm" w={90} value={med.rxnorm} onChange={set('rxnorm')} />
            <TextInput type="date" label="Start" value={med.start} onChange={set('start')} />
            <Button type="submit" loading={pending}>Add medication</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
      <Modal opened={warning !== null} onClose={() => setWarning(null)} title="Allergy warning">
        <Stack>
          <Alert color="red" role="alert" title={`${med.name} matches a recorded allergy`}>
            {warning?.map((a) => `${a.substance}${a.reaction ? ` (${a.reaction}, ${a.severity})` : ''}`).join('; ')}
          </Alert>
          <Text size="sm">Adding it anyway is recorded in the audit log.</Text>
          <Group>
            <Button variant="default" onClick={() => setWarning(null)}>Do not add</Button>
            <Button color="red" loading={pending} onClick={() => void add(true)}>I acknowledge the allergy, add it</Button>
          </Group>
        </Stack>
      </Modal>
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
  const n = (v: number | string) => (v === '' ? null : Number(v));
  return (
    <Section title="Lab results">
      <Table aria-label="Lab results">
        <Table.Tbody>
          {summary.labs.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{formatDate(l.collectedOn)}</Table.Td>
              <Table.Td>{l.test}{l.loinc && <Text span c="dimmed"> ({l.loinc})</Text>}</Table.Td>
              <Table.Td fw={l.flag === 'high' || l.flag === 'low' ? 700 : undefined}>{l.value} {l.unit}</Table.Td>
              <Table.Td>{l.refLow ?? ''}–{l.refHigh ?? ''}</Table.Td>
              <Table.Td>{(l.flag === 'high' || l.flag === 'low') && <Badge color="red">{l.flag}</Badge>}</Table.Td>
            </Table.Tr>
          ))}
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
    </Section>
  );
}
