// A patient's chart (below the patient banner): its actions, demographics, and for clinical
// roles the summary (problems, medications, allergies, vitals with trends, immunizations, labs,
// documents, upcoming appointments) and the timeline of encounters. Users without a clinical
// role see demographics and may break the glass.
import { Alert, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { format } from 'date-fns';
import { useState } from 'react';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { genderLabels, type Patient } from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { usePatientRecord } from '../patients/patient-record';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';
import { useCall } from '../../lib/use-call';
import { BookFromChart } from '../scheduling/BookFromChart';
import { statusLabel } from '../scheduling/status';
import { longDay, timeOf } from '../scheduling/time';
import { AllergiesCard } from './AllergiesCard';
import { ImmunizationsCard, LabsCard, ProblemsCard, Section } from './ChartCards';
import { MedicationsCard } from './MedicationsCard';
import { DocumentsCard } from './DocumentsCard';
import { VitalsCard } from './VitalsCard';
import { useClock } from '../../lib/clock-context';

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text>{value || '—'}</Text>
    </div>
  );
}

export function ChartPage({ patientId, onEdit, onBack, onOpenEncounter, onPrintPatient }: {
  patientId: PatientId;
  onEdit: (p: Patient) => void;
  onBack: () => void;
  onOpenEncounter: (id: EncounterId) => void;
  onPrintPatient: () => void;
}) {
  const api = useApi();
  const { can } = usePermissions();
  const clock = useClock();
  const { run, error } = useCall();
  const { patient: p, summary, reloadSummary: loadSummary } = usePatientRecord();
  const [breakingGlass, setBreakingGlass] = useState(false);
  const [reason, setReason] = useState('');
  const glass = useCall();

  if (!p) return null; // PatientContext shows the loader until the record is here
  const address = [p.addressLine1, p.addressLine2, [p.city, p.region, p.postalCode].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ');
  const nursing = can('chart.nursing');
  const clinical = can('chart.clinical');

  const newEncounter = async () => {
    const e = await run(api.call('encounters.open', { patientId }));
    if (e) onOpenEncounter(e.id);
  };

  return (
    <Stack>
      <Card withBorder component="section" aria-label="Chart actions" py="xs">
        <Group justify="space-between">
          <Title order={1} size="h3">Chart</Title>
          <Group>
            <Button variant="default" onClick={onBack}>Back to search</Button>
            {can('patients.write') && <Button variant="light" onClick={() => onEdit(p)}>Edit demographics</Button>}
            {summary && <Button variant="light" onClick={onPrintPatient}>Patient summary (PDF)</Button>}
            <BookFromChart patient={p} onBooked={() => void loadSummary()} />
            {clinical && <Button onClick={newEncounter}>New encounter</Button>}
          </Group>
        </Group>
        <ErrorAlert error={error} />
        {summary?.emergencyAccessUntil && (
          <Alert mt="sm" color="red" title="Emergency access">
            You are viewing this chart under emergency access until {clock.at(summary.emergencyAccessUntil)}. Every view is recorded.
          </Alert>
        )}
      </Card>

      {!summary && can('emergency.access') && (
        <Alert color="gray" title="Clinical record">
          Your role does not include the clinical record. In an emergency you may open it for one hour; you will be asked why, and it is recorded.
          <Group mt="xs"><Button color="red" variant="light" onClick={() => setBreakingGlass(true)}>Emergency access</Button></Group>
        </Alert>
      )}

      {summary && (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <AllergiesCard patientId={patientId} summary={summary} canEdit={nursing} onChanged={loadSummary} />
          <ProblemsCard patientId={patientId} summary={summary} canEdit={clinical} onChanged={loadSummary} />
          <MedicationsCard patientId={patientId} summary={summary} canEdit={nursing} onChanged={loadSummary} />
          <VitalsCard patientId={patientId} summary={summary} canEdit={nursing} onChanged={loadSummary} />
          <Section title="Encounters">
            <Table aria-label="Encounters">
              <Table.Tbody>
                {summary.encounters.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{format(new Date(e.startedAt), 'MMM d, yyyy')}</Table.Td>
                    <Table.Td>{e.providerName}</Table.Td>
                    <Table.Td>{e.assessment || <Text span c="dimmed">No assessment yet</Text>}</Table.Td>
                    <Table.Td><Badge color={e.noteStatus === 'signed' ? 'green' : 'yellow'}>{e.noteStatus}</Badge></Table.Td>
                    <Table.Td><Button size="compact-xs" variant="light" aria-label={`Open encounter of ${format(new Date(e.startedAt), 'MMM d, yyyy')}`} onClick={() => onOpenEncounter(e.id)}>Open</Button></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {summary.encounters.length === 0 && <Text c="dimmed">No encounters yet</Text>}
          </Section>
          <Section title="Upcoming appointments">
            {summary.upcoming.map((a) => (
              <Text key={a.id} size="sm">{longDay(a.start.slice(0, 10))} {clock.time(timeOf(a.start))} · {a.providerName} · {a.typeName} · {statusLabel[a.status]}</Text>
            ))}
            {summary.upcoming.length === 0 && <Text c="dimmed">None booked</Text>}
          </Section>
          <ImmunizationsCard patientId={patientId} summary={summary} canEdit={nursing} onChanged={loadSummary} />
          <LabsCard patientId={patientId} summary={summary} canEdit={clinical} onChanged={loadSummary} />
          <DocumentsCard patientId={patientId} summary={summary} canUpload={clinical} onChanged={loadSummary} />
        </SimpleGrid>
      )}

      <Card withBorder component="section" aria-label="Demographics">
        <Title order={2} size="h4" mb="sm">Demographics</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Field label="Gender identity" value={genderLabels[p.genderIdentity]} />
          <Field label="Phone" value={p.phone} />
          <Field label="Email" value={p.email} />
          <Field label="Address" value={address} />
          <Field label="Emergency contact" value={[p.emergencyName, p.emergencyRelationship && `(${p.emergencyRelationship})`, p.emergencyPhone].filter(Boolean).join(' ')} />
          <Field label="Insurance" value={[p.insurancePayer, p.insuranceMemberId && `member ${p.insuranceMemberId}`, p.insuranceGroup && `group ${p.insuranceGroup}`].filter(Boolean).join(', ')} />
        </SimpleGrid>
      </Card>

      <Modal opened={breakingGlass} onClose={() => setBreakingGlass(false)} title="Emergency access">
        <form onSubmit={async (e) => {
          e.preventDefault();
          if (await glass.run(api.call('emergency.open', { patientId, reason }))) { setBreakingGlass(false); setReason(''); await loadSummary(); }
        }}>
          <Stack>
            <Text size="sm">Access lasts one hour and is reported to the practice admin.</Text>
            <Textarea label="What is the emergency?" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <ErrorAlert error={glass.error} />
            <Group><Button type="submit" color="red" loading={glass.pending}>Open the chart</Button></Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
