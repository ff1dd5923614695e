// The one patient banner, on every screen in a patient's context (chart, encounter and note
// with its call, documents, the demographics form, print): name, age and date of birth, sex,
// MRN and allergies, so no one writes in the wrong patient's record.
import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import type { ChartSummary } from '../../../../shared/domain/chart';
import { ageText, type Patient, sexLabels } from '../../../../shared/domain/patient';
import { formatDate, todayIso } from './format';

function Allergies({ summary }: { summary: ChartSummary | null | undefined }) {
  if (summary === undefined) return <Text size="sm" c="dimmed">Allergies: loading…</Text>;
  if (!summary) return <Text size="sm" c="dimmed">Allergies: not available to your role</Text>;
  if (summary.allergyStatus === 'none') return <Text size="sm">Allergies: <strong>No known allergies</strong></Text>;
  if (summary.allergyStatus === 'unknown') return <Text size="sm" c="orange.9">Allergies: <strong>not recorded yet</strong></Text>;
  return (
    <Text size="sm" c="red.9">
      Allergies: <strong>{summary.allergies.map((a) => `${a.substance}${a.severity === 'severe' ? ' (severe)' : ''}`).join(', ')}</strong>
    </Text>
  );
}

/** `summary` undefined: still loading; null: this user may not read the chart. */
export function PatientBanner({ patient, summary, print = false }: { patient: Patient; summary: ChartSummary | null | undefined; print?: boolean }) {
  const age = ageText(patient.dateOfBirth, todayIso());
  const name = `${patient.familyName}, ${patient.givenNames}${patient.preferredName ? ` (“${patient.preferredName}”)` : ''}`;
  return (
    <Paper component="section" aria-label="Patient banner" withBorder={!print} p={print ? 0 : 'xs'} px={print ? 0 : 'md'} data-patient-id={patient.id}
      style={print ? undefined : { position: 'sticky', top: 'calc(var(--app-shell-header-height, 0px) + 4px)', zIndex: 5, background: 'var(--mantine-color-body)' }}>
      <Group gap="md" wrap="wrap" align="baseline">
        <Title order={1} size="h3">{name}</Title>
        <Badge variant="light" color="blue" size="lg" tt="none">{age}</Badge>
        <Text size="sm">Born {formatDate(patient.dateOfBirth)}</Text>
        <Text size="sm">{sexLabels[patient.sexAtBirth]}</Text>
        <Text size="sm">MRN <strong>{patient.mrn}</strong></Text>
      </Group>
      <div aria-label="Allergies" role="group"><Allergies summary={summary} /></div>
    </Paper>
  );
}
