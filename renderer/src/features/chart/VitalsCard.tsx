// Vitals: the latest of each measure, one plot per measure on a time axis (small multiples,
// straight lines between real readings), the history with "entered in error", and entry in the
// units the clinic uses (°F/°C, lb/kg, in/cm) for now or an earlier time, checked against the
// engine's plausibility ranges with every wrong field marked at once.
import { Button, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { format } from 'date-fns';
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSummary, Vitals } from '../../../../shared/domain/chart';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { VitalsEntry } from '../../../../shared/domain/vitals';
import { issueInWords } from '../../../../shared/field-labels';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { Section } from './ChartCards';
import { CorrectionDialog, CorrectionLine } from './Corrections';
import { latestOfEach, type Measure, measures, type Units } from './vitals-measures';
import { useClock } from '../../lib/clock-context';

const colors = ['#c92a2a', '#1864ab'];

/** One measure's readings over time: x is proportional to time, lines join real readings only. */
function MeasurePlot({ measure, vitals, units, domain }: { measure: Measure; vitals: readonly Vitals[]; units: Units; domain: [number, number] }) {
  const clock = useClock();
  const data = vitals.flatMap((v) => {
    const values = measure.values(v, units);
    return values ? [{ t: Date.parse(v.takenAt), ...Object.fromEntries(measure.lines.map((l, i) => [l, values[i]])) }] : [];
  });
  if (data.length === 0) return null;
  const single = domain[0] === domain[1];
  return (
    <figure aria-label={`${measure.title} trend`} style={{ margin: 0 }} data-points={data.length}>
      <figcaption><Text size="xs" fw={600}>{measure.title} ({measure.unit(units)})</Text></figcaption>
      <ResponsiveContainer width="100%" height={120}>
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={single ? [domain[0] - 43_200_000, domain[1] + 43_200_000] : domain}
            tickFormatter={(t: number) => format(new Date(t), 'MMM d')} fontSize={10} tickCount={4} />
          <YAxis fontSize={10} domain={['auto', 'auto']} width={44} />
          <Tooltip labelFormatter={(t) => clock.dateTime(new Date(Number(t)).toISOString())} />
          {measure.lines.map((l, i) => (
            <Line key={l} type="linear" dataKey={l} stroke={colors[i] ?? colors[0]} dot={{ r: 3 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function VitalsTrend({ vitals, units }: { vitals: readonly Vitals[]; units: Units }) {
  const plotted = vitals.filter((v) => !v.enteredInError);
  if (plotted.length === 0) return null;
  const times = plotted.map((v) => Date.parse(v.takenAt));
  const domain: [number, number] = [Math.min(...times), Math.max(...times)];
  return (
    <div role="figure" aria-label="Vitals trend" data-points={plotted.length}>
      <Text size="sm" fw={600}>Trend</Text>
      <SimpleGrid cols={2} spacing="xs">
        {measures.map((m) => <MeasurePlot key={m.key} measure={m} vitals={plotted} units={units} domain={domain} />)}
      </SimpleGrid>
    </div>
  );
}

/** Every set, newest first, entries in error struck through with who marked them and why. */
function VitalsHistory({ vitals, units, canEdit, onMark }: { vitals: readonly Vitals[]; units: Units; canEdit: boolean; onMark: (v: Vitals) => void }) {
  const when = useClock().dateTime;
  const shown = measures.filter((m) => vitals.some((v) => m.values(v, units)));
  return (
    <Table aria-label="Vitals history" fz="xs" mt="xs">
      <Table.Thead>
        <Table.Tr><Table.Th>Taken</Table.Th>{shown.map((m) => <Table.Th key={m.key}>{m.title} ({m.unit(units)})</Table.Th>)}<Table.Th /></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[...vitals].reverse().map((v) => {
          const struck = v.enteredInError ? 'line-through' : undefined;
          return (
            <Table.Tr key={v.id} aria-label={`Vitals of ${when(v.takenAt)}${v.enteredInError ? ', entered in error' : ''}`}>
              <Table.Td><Text span inherit td={struck}>{when(v.takenAt)}</Text>{v.enteredInError && <div><CorrectionLine label="Entered in error" correction={v.enteredInError} /></div>}</Table.Td>
              {shown.map((m) => { const x = m.values(v, units); return <Table.Td key={m.key} td={struck}>{x ? m.text(x) : ''}</Table.Td>; })}
              <Table.Td>{canEdit && !v.enteredInError && (
                <Button size="compact-xs" variant="subtle" color="red" aria-label={`Mark vitals of ${when(v.takenAt)} entered in error`} onClick={() => onMark(v)}>Entered in error</Button>
              )}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** Where a checked output field is typed in the form. */
const formKey: Readonly<Record<string, string>> = { temperatureC: 'temperature', heightCm: 'height', weightKg: 'weight' };

export function VitalsCard({ patientId, summary, canEdit, onChanged, encounterId }: {
  patientId: PatientId; summary: ChartSummary; canEdit: boolean; onChanged: () => void; encounterId?: EncounterId;
}) {
  const api = useApi();
  const clock = useClock();
  const when = clock.dateTime;
  const { pending, error, setError, run } = useCall();
  const correcting = useCall();
  const [units, setUnits] = useState<Units>('us');
  const blank = { systolic: '', diastolic: '', heartRate: '', respiratoryRate: '', temperature: '', spo2: '', height: '', weight: '' } as Record<string, number | string>;
  const [form, setForm] = useState(blank);
  const [takenAt, setTakenAt] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [marking, setMarking] = useState<Vitals | null>(null);
  const latest = latestOfEach(summary.vitals, units);
  const n = (k: string) => (form[k] === '' || form[k] === undefined ? null : Number(form[k]));
  const field = (k: string, label: string) => (
    <NumberInput key={k} label={label} w={110} value={form[k]} onChange={(v) => setForm({ ...form, [k]: v })} decimalScale={1} error={fieldErrors[k]} />
  );

  const submit = async () => {
    const entry = {
      takenAt: takenAt ? new Date(takenAt).toISOString() : undefined,
      systolic: n('systolic'), diastolic: n('diastolic'), heartRate: n('heartRate'), respiratoryRate: n('respiratoryRate'), spo2: n('spo2'),
      temperature: n('temperature') === null ? null : { value: n('temperature') as number, unit: units === 'us' ? 'F' as const : 'C' as const },
      height: n('height') === null ? null : { value: n('height') as number, unit: units === 'us' ? 'in' as const : 'cm' as const },
      weight: n('weight') === null ? null : { value: n('weight') as number, unit: units === 'us' ? 'lb' as const : 'kg' as const },
    };
    const checked = VitalsEntry.safeParse(entry);
    if (!checked.success) {
      const issues = checked.error.issues;
      setFieldErrors(Object.fromEntries(issues.map((i) => { const k = String(i.path[0] ?? ''); return [formKey[k] ?? k, issueInWords(i)]; })));
      setError({ code: 'invalid-input', message: issues.map(issueInWords).join('; ') });
      return;
    }
    setFieldErrors({});
    if (await run(api.call('vitals.record', { patientId, encounterId, vitals: entry }))) { setForm(blank); setTakenAt(''); onChanged(); }
  };

  return (
    <Section title="Vitals" action={<SegmentedControl size="xs" aria-label="Units" value={units} onChange={(v) => setUnits(v as Units)} data={[{ value: 'us', label: '°F · lb · in' }, { value: 'metric', label: '°C · kg · cm' }]} />}>
      {latest.length > 0 ? (
        <Stack gap={4}>
          <Group gap="lg" role="list" aria-label="Latest vitals">
            {latest.map(({ measure, values, takenAt: at }) => (
              <div key={measure.key} role="listitem" aria-label={`${measure.title} ${measure.text(values)} ${measure.unit(units)}, ${when(at)}`}>
                <Text size="xs" c="dimmed">{measure.title}</Text>
                <Text>{measure.text(values)} {measure.unit(units)}</Text>
                <Text size="xs" c="dimmed">{clock.shortDateTime(at)}</Text>
              </div>
            ))}
          </Group>
          <VitalsTrend vitals={summary.vitals} units={units} />
        </Stack>
      ) : <Text c="dimmed">None recorded</Text>}
      {summary.vitals.length > 0 && <VitalsHistory vitals={summary.vitals} units={units} canEdit={canEdit} onMark={setMarking} />}
      {canEdit && (
        <form aria-label="Record vitals" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Group align="flex-end" mt="sm" gap="xs">
            {field('systolic', 'Systolic')}
            {field('diastolic', 'Diastolic')}
            {field('heartRate', 'Heart rate')}
            {field('respiratoryRate', 'Resp. rate')}
            {field('temperature', units === 'us' ? 'Temp °F' : 'Temp °C')}
            {field('spo2', 'SpO₂ %')}
            {field('height', units === 'us' ? 'Height in' : 'Height cm')}
            {field('weight', units === 'us' ? 'Weight lb' : 'Weight kg')}
            <TextInput type="datetime-local" label="Taken at" description="Empty: now" w={200} value={takenAt} error={fieldErrors.takenAt}
              max={format(new Date(), "yyyy-MM-dd'T'HH:mm")} onChange={(e) => setTakenAt(e.currentTarget.value)} />
            <Button type="submit" loading={pending}>Record vitals</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
      <CorrectionDialog key={marking?.id ?? 'none'} title="Vitals entered in error" opened={marking !== null} action="Mark entered in error"
        what={marking ? `Vitals of ${when(marking.takenAt)}` : ''}
        reasons={['Wrong unit (kg for lb, °C for °F)', 'Entered for the wrong patient', 'Wrong value typed', 'Duplicate entry']}
        pending={correcting.pending} error={correcting.error} onClose={() => setMarking(null)}
        onConfirm={async (reason) => {
          if (marking && (await correcting.run(api.call('vitals.markError', { patientId, vitalsId: marking.id, reason })))) { setMarking(null); onChanged(); }
        }} />
    </Section>
  );
}
