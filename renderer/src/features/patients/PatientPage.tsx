// A patient's page: the header the whole chart will hang from (name, age, MRN, allergies) and
// the demographics on file.
import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import { ageOn, genderLabels, type Patient, sexLabels } from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from './format';

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text>{value || '—'}</Text>
    </div>
  );
}

export function PatientPage({ patientId, canEdit, onEdit, onBack }: { patientId: PatientId; canEdit: boolean; onEdit: (p: Patient) => void; onBack: () => void }) {
  const api = useApi();
  const { error, run } = useCall();
  const [patient, setPatient] = useState<Patient | null>(null);

  useEffect(() => {
    void run(api.call('patients.get', { patientId })).then(setPatient);
  }, [api, run, patientId]);

  if (error) return <ErrorAlert error={error} />;
  if (!patient) return <Loader aria-label="Loading patient" />;
  const p = patient;
  const address = [p.addressLine1, p.addressLine2, [p.city, p.region, p.postalCode].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ');

  return (
    <Stack>
      <Card withBorder component="section" aria-label="Patient header">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h2">
              {p.familyName}, {p.givenNames}{p.preferredName ? ` (“${p.preferredName}”)` : ''}
            </Title>
            <Group gap="xs" mt={4}>
              <Badge variant="light" aria-label={`Age ${ageOn(p.dateOfBirth, todayIso())} years`}>{ageOn(p.dateOfBirth, todayIso())} y</Badge>
              <Text>Born {formatDate(p.dateOfBirth)}</Text>
              <Text>· {sexLabels[p.sexAtBirth]}</Text>
              <Text>· MRN <strong>{p.mrn}</strong></Text>
            </Group>
          </div>
          <Group>
            <Button variant="default" onClick={onBack}>Back to search</Button>
            {canEdit && <Button onClick={() => onEdit(p)}>Edit demographics</Button>}
          </Group>
        </Group>
        <Alert mt="sm" color="gray" title="Allergies" aria-label="Allergies">
          Not recorded yet. Allergy recording arrives with charting.
        </Alert>
      </Card>
      <Card withBorder>
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
    </Stack>
  );
}
