// Printable visit and patient summaries. Chromium turns them into PDF: "Print / Save as PDF"
// in the app, page.pdf() in the end-to-end tests. Buttons do not print.
import { Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { format } from 'date-fns';
import { type ReactNode, useEffect, useState } from 'react';
import type { ChartSummary, Encounter } from '../../../../shared/domain/chart';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import type { Patient } from '../../../../shared/domain/patient';
import { useApi } from '../../lib/api';
import { PatientBanner } from '../patients/PatientBanner';
import { usePatientRecord } from '../patients/patient-record';
import { formatDate, todayIso } from '../patients/format';
import { SignedNote } from './EncounterPage';

function usePrintData(patientId: PatientId, encounterId?: EncounterId) {
  const api = useApi();
  const { patient, summary } = usePatientRecord();
  const [extra, setExtra] = useState<{ encounter: Encounter | null; clinic: string } | null>(null);
  useEffect(() => {
    void (async () => {
      const [e, st] = await Promise.all([
        encounterId ? api.call('encounters.get', { patientId, encounterId }) : Promise.resolve(null),
        api.call('setup.status', {}),
      ]);
      setExtra({ encounter: e && e.ok ? e.value : null, clinic: st.ok ? st.value.clinicName ?? '' : '' });
    })();
  }, [api, patientId, encounterId]);
  return patient && summary && extra ? { patient, summary, ...extra } : null;
}

function Page({ title, clinic, patient, summary, onBack, children }: { title: string; clinic: string; patient: Patient; summary: ChartSummary; onBack: () => void; children: ReactNode }) {
  return (
    <Stack p="lg" maw={820} mx="auto" className="print-page">
      <style>{'@media print { .no-print { display: none !important; } }'}</style>
      <Group className="no-print">
        <Button onClick={() => window.print()}>Print / Save as PDF</Button>
        <Button variant="default" onClick={onBack}>Back</Button>
      </Group>
      <Text size="sm" c="dimmed">{clinic}</Text>
      <Title order={1} size="h2">{title}</Title>
      <PatientBanner patient={patient} summary={summary} print />
      {children}
      <Text size="xs" c="dimmed">Printed {format(new Date(), 'MMM d, yyyy HH:mm')}. Confidential patient information.</Text>
    </Stack>
  );
}

function Lists({ s }: { s: ChartSummary }) {
  const latest = s.vitals.at(-1);
  return (
    <Stack gap="xs">
      <Text><strong>Allergies:</strong> {s.allergyStatus === 'none' ? 'No known allergies' : s.allergyStatus === 'unknown' ? 'Not recorded' : s.allergies.map((a) => `${a.substance}${a.reaction ? ` (${a.reaction})` : ''}`).join('; ')}</Text>
      <Text><strong>Active problems:</strong> {s.problems.filter((p) => p.status === 'active').map((p) => `${p.description}${p.icd10 ? ` (${p.icd10})` : ''}`).join('; ') || 'None'}</Text>
      <Text><strong>Medications:</strong> {s.medications.filter((m) => !m.stop || m.stop >= todayIso()).map((m) => `${m.name} ${m.dose} ${m.route} ${m.frequency}`.trim()).join('; ') || 'None'}</Text>
      {latest && (
        <Text><strong>Latest vitals ({format(new Date(latest.takenAt), 'MMM d, yyyy')}):</strong>{' '}
          {[latest.systolic !== null && `BP ${latest.systolic}/${latest.diastolic}`, latest.heartRate !== null && `HR ${latest.heartRate}`,
            latest.temperatureC !== null && `T ${latest.temperatureC} °C`, latest.spo2 !== null && `SpO2 ${latest.spo2}%`, latest.weightKg !== null && `Wt ${latest.weightKg} kg`,
            latest.bmi !== null && `BMI ${latest.bmi}`].filter(Boolean).join(', ')}
        </Text>
      )}
    </Stack>
  );
}

export function VisitSummaryPrint({ patientId, encounterId, onBack }: { patientId: PatientId; encounterId: EncounterId; onBack: () => void }) {
  const d = usePrintData(patientId, encounterId);
  if (!d?.encounter) return <Loader aria-label="Preparing the visit summary" />;
  return (
    <Page title="Visit summary" clinic={d.clinic} patient={d.patient} summary={d.summary} onBack={onBack}>
      <Text>Visit {format(new Date(d.encounter.startedAt), 'MMMM d, yyyy')} with {d.encounter.providerName}</Text>
      <Lists s={d.summary} />
      <Title order={2} size="h4">Visit note</Title>
      {d.encounter.note.status === 'signed' ? <SignedNote note={d.encounter.note} /> : <Text>This note is not signed yet.</Text>}
    </Page>
  );
}

export function PatientSummaryPrint({ onBack }: { onBack: () => void }) {
  const { patientId } = usePatientRecord();
  const d = usePrintData(patientId);
  if (!d) return <Loader aria-label="Preparing the patient summary" />;
  const s = d.summary;
  return (
    <Page title="Patient summary" clinic={d.clinic} patient={d.patient} summary={d.summary} onBack={onBack}>
      <Lists s={s} />
      <Title order={2} size="h4">Immunizations</Title>
      <Text>{s.immunizations.map((i) => `${i.vaccine} (${formatDate(i.date)})`).join('; ') || 'None recorded'}</Text>
      <Title order={2} size="h4">Recent lab results</Title>
      <Table>
        <Table.Tbody>
          {s.labs.filter((l) => !l.enteredInError).slice(0, 20).map((l) => (
            <Table.Tr key={l.id}><Table.Td>{formatDate(l.collectedOn)}</Table.Td><Table.Td>{l.test}</Table.Td><Table.Td>{l.value} {l.unit}</Table.Td><Table.Td>{l.flag === 'high' || l.flag === 'low' ? l.flag.toUpperCase() : ''}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4">Visits</Title>
      <Text>{s.encounters.map((e) => `${format(new Date(e.startedAt), 'MMM d, yyyy')}: ${e.assessment || 'no assessment'}`).join('; ') || 'None'}</Text>
    </Page>
  );
}
