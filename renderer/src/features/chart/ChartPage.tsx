// A patient's chart: the header (name, age, MRN, allergies), demographics, and for clinical
// roles the summary (problems, medications, allergies, vitals with trends, immunizations, labs,
// documents, upcoming appointments) and the timeline of encounters. Users without a clinical
// role see demographics and may break the glass.
import { Alert, Badge, Button, Card, Group, Loader, Modal, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { format } from 'date-fns';
import { useCallback, useEffect, useState } from 'react';
import type { ChartSummary } from '../../../../shared/domain/chart';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { ageOn, genderLabels, type Patient, sexLabels } from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from '../patients/format';
import { statusLabel } from '../scheduling/status';
import { longDay, timeOf } from '../scheduling/time';
import { AllergiesCard } from './AllergiesCard';
import { ImmunizationsCard, LabsCard, ProblemsCard, Section } from './ChartCards';
import { MedicationsCard } from './MedicationsCard';
import { DocumentsCard } from './DocumentsCard';
import { VitalsCard } from './VitalsCard';

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text>{value || '—'}</Text>
    </div>
  );
}

function AllergyLine({ summary }: { summary: ChartSummary | null }) {
  if (!summary) return <Text size="sm" c="dimmed">Allergies: not available to your role</Text>;
  if (summary.allergyStatus === 'none') return <Text size="sm">Allergies: <strong>No known allergies</strong></Text>;
  if (summary.allergyStatus === 'unknown') return <Text size="sm" c="orange.8">Allergies: not recorded yet</Text>;
  return <Text size="sm" c="red.8">Allergies: <strong>{summary.allergies.map((a) => a.substance).join(', ')}</strong></Text>;
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
  const { error, run } = useCall();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [summary, setSummary] = useState<ChartSummary | null>(null);
  const [breakingGlass, setBreakingGlass] = useState(false);
  const [reason, setReason] = useState('');
  const glass = useCall();

  const loadSummary = useCallback(async () => {
    const r = await api.call('chart.summary', { patientId });
    setSummary(r.ok ? r.value : null);
  }, [api, patientId]);

  useEffect(() => {
    void run(api.call('patients.get', { patientId })).then(setPatient);
    if (can('chart.read') || can('emergency.access')) void loadSummary();
  }, [api, run, patientId, loadSummary]); // eslint-disable-line react-hooks/exhaustive-deps

  if (error) return <ErrorAlert error={error} />;
  if (!patient) return <Loader aria-label="Loading patient" />;
  const p = patient;
  const address = [p.addressLine1, p.addressLine2, [p.city, p.region, p.postalCode].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ');
  const nursing = can('chart.nursing');
  const clinical = can('chart.clinical');

  const newEncounter = async () => {
    const e = await run(api.call('encounters.open', { patientId }));
    if (e) onOpenEncounter(e.id);
  };

  return (
    <Stack>
      <Card withBorder component="section" aria-label="Patient header">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h2">{p.familyName}, {p.givenNames}{p.preferredName ? ` (“${p.preferredName}”)` : ''}</Title>
            <Group gap="xs" mt={4}>
              <Badge variant="light" aria-label={`Age ${ageOn(p.dateOfBirth, todayIso())} years`}>{ageOn(p.dateOfBirth, todayIso())} y</Badge>
              <Text>Born {formatDate(p.dateOfBirth)}</Text>
              <Text>· {sexLabels[p.sexAtBirth]}</Text>
              <Text>· MRN <strong>{p.mrn}</strong></Text>
            </Group>
            <div aria-label="Allergies" role="group"><AllergyLine summary={summary} /></div>
          </div>
          <Group>
            <Button variant="default" onClick={onBack}>Back to search</Button>
            {can('patients.write') && <Button variant="light" onClick={() => onEdit(p)}>Edit demographics</Button>}
            {summary && <Button variant="light" onClick={onPrintPatient}>Patient summary (PDF)</Button>}
            {clinical && <Button onClick={newEncounter}>New encounter</Button>}
          </Group>
        </Group>
        {summary?.emergencyAccessUntil && (
          <Alert mt="sm" color="red" title="Emergency access">
            You are viewing this chart under emergency access until {format(new Date(summary.emergencyAccessUntil), 'HH:mm')}. Every view is recorded.
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
              <Text key={a.id} size="sm">{longDay(a.start.slice(0, 10))} {timeOf(a.start)} · {a.providerName} · {a.typeName} · {statusLabel[a.status]}</Text>
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
