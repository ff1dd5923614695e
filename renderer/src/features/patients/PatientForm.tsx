// Registration and edit form for demographics, validated by the shared schema. Registration
// warns about possible duplicates; the user opens the existing record or gives a reason.
import { Button, Fieldset, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { useState } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import {
  DuplicateOverride,
  emptyPatientFields,
  genderLabels,
  type Patient,
  PatientFields,
  type PatientSummary,
  sexLabels,
} from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from './format';

interface Props {
  existing?: Patient;
  onSaved: (p: Patient) => void;
  onOpenExisting: (id: PatientId) => void;
  onCancel: () => void;
}

function fieldsOf(p: Patient): PatientFields {
  const { id: _id, mrn: _mrn, createdAt: _c, updatedAt: _u, ...fields } = p;
  return fields;
}

export function PatientForm({ existing, onSaved, onOpenExisting, onCancel }: Props) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [candidates, setCandidates] = useState<readonly PatientSummary[] | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const form = useForm<PatientFields>({
    initialValues: existing ? fieldsOf(existing) : emptyPatientFields,
    validate: zod4Resolver(PatientFields),
  });

  const save = async (fields: PatientFields, override?: { reason: string }) => {
    if (existing) {
      const p = await run(api.call('patients.update', { patientId: existing.id, fields }));
      if (p) onSaved(p);
      return;
    }
    const r = await run(api.call('patients.register', { fields, duplicateOverride: override }));
    if (!r) return;
    if (r.status === 'possible-duplicates') setCandidates(r.candidates);
    else onSaved(r.patient);
  };

  const registerAnyway = async () => {
    const parsed = DuplicateOverride.safeParse({ reason });
    if (!parsed.success) {
      setReasonError(parsed.error.issues[0]?.message ?? 'give a reason');
      return;
    }
    setCandidates(null);
    await save(PatientFields.parse(form.getValues()), parsed.data);
  };

  const text = (path: keyof PatientFields, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} {...extra} {...form.getInputProps(path)} />
  );

  return (
    <form onSubmit={form.onSubmit((v) => save(v))} aria-labelledby="patient-form-title">
      <Stack>
        <Title order={1} size="h2" id="patient-form-title">
          {existing ? `Edit ${existing.familyName}, ${existing.givenNames}` : 'Register a patient'}
        </Title>
        <Fieldset legend="Legal name">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {text('familyName', 'Family name', { required: true, autoFocus: true })}
            {text('givenNames', 'Given names', { required: true })}
            {text('preferredName', 'Preferred name')}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Birth and identity">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput type="date" label="Date of birth" required max={todayIso()} min="1900-01-01" {...form.getInputProps('dateOfBirth')} />
            <NativeSelect label="Sex assigned at birth" data={Object.entries(sexLabels).map(([value, label]) => ({ value, label }))} {...form.getInputProps('sexAtBirth')} />
            <NativeSelect label="Gender identity" data={Object.entries(genderLabels).map(([value, label]) => ({ value, label }))} {...form.getInputProps('genderIdentity')} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Contact">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('phone', 'Phone', { type: 'tel', autoComplete: 'off' })}
            {text('email', 'Email', { type: 'email', autoComplete: 'off' })}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Address">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('addressLine1', 'Street address')}
            {text('addressLine2', 'Apartment, suite, etc.')}
            {text('city', 'City')}
            {text('region', 'State or region')}
            {text('postalCode', 'Postal code')}
            {text('country', 'Country')}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Emergency contact">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {text('emergencyName', 'Contact name')}
            {text('emergencyRelationship', 'Relationship')}
            {text('emergencyPhone', 'Contact phone', { type: 'tel' })}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Insurance">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {text('insurancePayer', 'Payer')}
            {text('insuranceMemberId', 'Member ID')}
            {text('insuranceGroup', 'Group number')}
          </SimpleGrid>
        </Fieldset>
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit" loading={pending}>{existing ? 'Save changes' : 'Register patient'}</Button>
          <Button variant="default" onClick={onCancel}>Cancel</Button>
        </Group>
      </Stack>

      <Modal opened={candidates !== null} onClose={() => setCandidates(null)} title="This patient may already be registered" size="lg">
        <Stack>
          <Text>These records have the same date of birth and a similar name, or the same phone number. Open the existing record if it is the same person.</Text>
          <Table aria-label="Possible duplicates">
            <Table.Thead>
              <Table.Tr><Table.Th>Name</Table.Th><Table.Th>Born</Table.Th><Table.Th>MRN</Table.Th><Table.Th>Phone</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(candidates ?? []).map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.familyName}, {c.givenNames}</Table.Td>
                  <Table.Td>{formatDate(c.dateOfBirth)}</Table.Td>
                  <Table.Td>{c.mrn}</Table.Td>
                  <Table.Td>{c.phone}</Table.Td>
                  <Table.Td><Button size="xs" variant="light" onClick={() => onOpenExisting(c.id)} aria-label={`Open record ${c.mrn}`}>Open</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Textarea
            label="Reason for registering a new record anyway"
            description="Recorded in the audit log."
            value={reason}
            error={reasonError}
            onChange={(e) => { setReason(e.currentTarget.value); setReasonError(null); }}
          />
          <Group>
            <Button color="orange" onClick={registerAnyway}>Register anyway</Button>
            <Button variant="default" onClick={() => setCandidates(null)}>Back to the form</Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
