// Vitals: the latest set, trend plots over time (recharts), and entry in the units the clinic
// uses (°F/°C, lb/kg, in/cm), checked against the same plausibility ranges as the engine.
import { Button, Group, NumberInput, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { format } from 'date-fns';
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSummary, Vitals } from '../../../../shared/domain/chart';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { cmToIn, kgToLb, toFahrenheit, VitalsEntry } from '../../../../shared/domain/vitals';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { Section } from './ChartCards';

type Units = 'us' | 'metric';
const r1 = (n: number) => Math.round(n * 10) / 10;

function describe(v: Vitals, units: Units): [string, string][] {
  const rows: [string, string | null][] = [
    ['Blood pressure', v.systolic !== null && v.diastolic !== null ? `${v.systolic}/${v.diastolic} mmHg` : null],
    ['Heart rate', v.heartRate !== null ? `${v.heartRate} /min` : null],
    ['Respiratory rate', v.respiratoryRate !== null ? `${v.respiratoryRate} /min` : null],
    ['Temperature', v.temperatureC !== null ? (units === 'us' ? `${r1(toFahrenheit(v.temperatureC))} °F` : `${r1(v.temperatureC)} °C`) : null],
    ['SpO₂', v.spo2 !== null ? `${v.spo2} %` : null],
    ['Height', v.heightCm !== null ? (units === 'us' ? `${r1(cmToIn(v.heightCm))} in` : `${v.heightCm} cm`) : null],
    ['Weight', v.weightKg !== null ? (units === 'us' ? `${r1(kgToLb(v.weightKg))} lb` : `${v.weightKg} kg`) : null],
    ['BMI', v.bmi !== null ? `${v.bmi}` : null],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null);
}

export function VitalsTrend({ vitals, units }: { vitals: readonly Vitals[]; units: Units }) {
  const data = vitals.map((v) => ({
    when: format(new Date(v.takenAt), 'MMM d HH:mm'),
    Systolic: v.systolic, Diastolic: v.diastolic, 'Heart rate': v.heartRate,
    Weight: v.weightKg === null ? null : units === 'us' ? r1(kgToLb(v.weightKg)) : v.weightKg,
  }));
  if (data.length === 0) return null;
  return (
    <figure aria-label="Vitals trend" style={{ margin: 0 }} data-points={data.length}>
      <figcaption><Text size="sm" fw={600}>Trend</Text></figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="when" fontSize={11} />
          <YAxis fontSize={11} />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="Systolic" stroke="#c92a2a" connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="Diastolic" stroke="#e67700" connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="Heart rate" stroke="#1971c2" connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="Weight" stroke="#2f9e44" connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
      {/* The same values as text, for screen readers and for checking. */}
      <Table aria-label="Vitals history" fz="xs" mt="xs">
        <Table.Thead><Table.Tr><Table.Th>Taken</Table.Th><Table.Th>BP</Table.Th><Table.Th>HR</Table.Th><Table.Th>Weight</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {data.map((d, i) => (
            <Table.Tr key={i}><Table.Td>{d.when}</Table.Td><Table.Td>{d.Systolic !== null ? `${d.Systolic}/${d.Diastolic}` : ''}</Table.Td><Table.Td>{d['Heart rate'] ?? ''}</Table.Td><Table.Td>{d.Weight ?? ''}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </figure>
  );
}

export function VitalsCard({ patientId, summary, canEdit, onChanged, encounterId }: {
  patientId: PatientId; summary: ChartSummary; canEdit: boolean; onChanged: () => void; encounterId?: EncounterId;
}) {
  const api = useApi();
  const { pending, error, setError, run } = useCall();
  const [units, setUnits] = useState<Units>('us');
  const blank = { systolic: '', diastolic: '', heartRate: '', respiratoryRate: '', temperature: '', spo2: '', height: '', weight: '' } as Record<string, number | string>;
  const [form, setForm] = useState(blank);
  const latest = summary.vitals.at(-1);
  const n = (k: string) => (form[k] === '' || form[k] === undefined ? null : Number(form[k]));
  const field = (k: string, label: string) => (
    <NumberInput key={k} label={label} w={110} value={form[k]} onChange={(v) => setForm({ ...form, [k]: v })} decimalScale={1} />
  );

  const submit = async () => {
    const entry = {
      systolic: n('systolic'), diastolic: n('diastolic'), heartRate: n('heartRate'), respiratoryRate: n('respiratoryRate'), spo2: n('spo2'),
      temperature: n('temperature') === null ? null : { value: n('temperature') as number, unit: units === 'us' ? 'F' as const : 'C' as const },
      height: n('height') === null ? null : { value: n('height') as number, unit: units === 'us' ? 'in' as const : 'cm' as const },
      weight: n('weight') === null ? null : { value: n('weight') as number, unit: units === 'us' ? 'lb' as const : 'kg' as const },
    };
    const checked = VitalsEntry.safeParse(entry);
    if (!checked.success) {
      const i = checked.error.issues[0];
      setError({ code: 'invalid-input', message: `${i?.path.join('.') ?? ''}: ${i?.message ?? 'not valid'}` });
      return;
    }
    if (await run(api.call('vitals.record', { patientId, encounterId, vitals: entry }))) { setForm(blank); onChanged(); }
  };

  return (
    <Section title="Vitals" action={<SegmentedControl size="xs" aria-label="Units" value={units} onChange={(v) => setUnits(v as Units)} data={[{ value: 'us', label: '°F · lb · in' }, { value: 'metric', label: '°C · kg · cm' }]} />}>
      {latest ? (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">Latest, {format(new Date(latest.takenAt), 'MMM d, yyyy HH:mm')}</Text>
          <Group gap="lg">{describe(latest, units).map(([k, v]) => <div key={k}><Text size="xs" c="dimmed">{k}</Text><Text>{v}</Text></div>)}</Group>
          <VitalsTrend vitals={summary.vitals} units={units} />
        </Stack>
      ) : <Text c="dimmed">None recorded</Text>}
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
            <Button type="submit" loading={pending}>Record vitals</Button>
          </Group>
          <ErrorAlert error={error} />
        </form>
      )}
    </Section>
  );
}
