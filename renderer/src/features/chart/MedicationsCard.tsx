// The medication list: current medications with any allergy alert and any acknowledged override
// shown on the row itself, adding one with the allergy check (an alert needs an override reason),
// stopping, and making one inactive with a reason; inactive ones stay listed, struck through.
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { format } from 'date-fns';
import { useState } from 'react';
import type { AllergyAlert, ChartSummary, Medication } from '../../../../shared/domain/chart';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate, todayIso } from '../patients/format';
import { Section } from './ChartCards';
import { CorrectionDialog, CorrectionLine } from './Corrections';

const levelLabel: Readonly<Record<AllergyAlert['level'], string>> = { allergy: 'Allergy', 'cross-reactivity': 'Cross-reactivity' };

function AlertList({ alerts }: { alerts: readonly AllergyAlert[] }) {
  return (
    <Stack gap={4}>
      {alerts.map((a) => (
        <Text key={a.allergyId} size="sm">
          <Badge size="sm" color={a.level === 'allergy' ? 'red' : 'orange'} mr={6}>{levelLabel[a.level]}</Badge>
          <strong>{a.substance}</strong>{a.reaction ? ` (${a.reaction}, ${a.severity})` : ''}: {a.reason}
        </Text>
      ))}
    </Stack>
  );
}

/** On the medication's row: what is alerted, and whether and why someone overrode it. */
function MedicationAllergyNote({ med }: { med: Medication }) {
  const o = med.allergyOverride;
  if (o) {
    return (
      <div role="note" aria-label={`Allergy override on ${med.name}`}>
        <Badge size="sm" color="orange" variant="filled" mr={6}>Allergy override</Badge>
        <Text span size="xs">
          {o.alerts.map((a) => `${a.substance}: ${a.reason}`).join('; ')}. Acknowledged by {o.byName}, {format(new Date(o.at), 'MMM d, yyyy')}: {o.reason}
        </Text>
      </div>
    );
  }
  if (med.allergyAlerts.length === 0) return null;
  return (
    <div role="note" aria-label={`Allergy alert on ${med.name}`}>
      <Badge size="sm" color="red" variant="filled" mr={6}>Allergy alert</Badge>
      <Text span size="xs">{med.allergyAlerts.map((a) => `${a.substance}: ${a.reason}`).join('; ')}. Review this medication.</Text>
    </div>
  );
}

export function MedicationsCard({ patientId, summary, canEdit, onChanged }: { patientId: PatientId; summary: ChartSummary; canEdit: boolean; onChanged: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const correcting = useCall();
  const empty = { name: '', dose: '', route: 'oral', frequency: '', rxnorm: '', start: todayIso(), stop: '' };
  const [med, setMed] = useState(empty);
  const [alerts, setAlerts] = useState<readonly AllergyAlert[] | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [inactivating, setInactivating] = useState<Medication | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  const set = (k: keyof typeof empty) => (e: React.ChangeEvent<HTMLInputElement>) => setMed({ ...med, [k]: e.currentTarget.value });
  const add = async (override: boolean) => {
    const r = await run(api.call('medications.add', { patientId, medication: med, allergyOverride: override ? { reason: overrideReason } : undefined }));
    if (!r) return;
    if (r.status === 'allergy-warning') { setAlerts(r.alerts); return; }
    setAlerts(null);
    setOverrideReason('');
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
                <Table.Td>
                  <strong>{m.name}</strong> {m.dose} {m.route} {m.frequency}{m.rxnorm && <Text span c="dimmed"> (RxNorm {m.rxnorm})</Text>}
                  <MedicationAllergyNote med={m} />
                </Table.Td>
                <Table.Td>{m.start && `from ${formatDate(m.start)}`}{m.stop && ` to ${formatDate(m.stop)}`}</Table.Td>
                <Table.Td>{canEdit && (
                  <Group gap={2} wrap="nowrap">
                    {!m.stop && (
                      <Button size="compact-xs" variant="subtle" aria-label={`Stop ${m.name}`} onClick={async () => {
                        if (await run(api.call('medications.stop', { patientId, medicationId: m.id, stop: today }))) onChanged();
                      }}>Stop today</Button>
                    )}
                    <Button size="compact-xs" variant="subtle" color="red" aria-label={`Inactivate ${m.name}`} onClick={() => setInactivating(m)}>Inactivate</Button>
                  </Group>
                )}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {summary.medications.length === 0 && <Text c="dimmed">None recorded</Text>}
      {summary.inactiveMedications.length > 0 && (
        <>
          <Button size="compact-xs" variant="subtle" mt={4} aria-expanded={showInactive} onClick={() => setShowInactive(!showInactive)}>
            {showInactive ? 'Hide' : 'Show'} inactive ({summary.inactiveMedications.length})
          </Button>
          {showInactive && (
            <Stack gap={2} aria-label="Inactive medications" role="list">
              {summary.inactiveMedications.map((m) => (
                <div key={m.id} role="listitem">
                  <Text span td="line-through">{m.name} {m.dose}</Text>{' '}
                  {m.inactive && <CorrectionLine label="Inactive" correction={m.inactive} />}
                </div>
              ))}
            </Stack>
          )}
        </>
      )}
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
          <ErrorAlert error={alerts ? null : error} />
        </form>
      )}
      <Modal opened={alerts !== null} onClose={() => setAlerts(null)} title="Allergy warning">
        <form onSubmit={(e) => { e.preventDefault(); void add(true); }}>
          <Stack>
            <Alert color="red" role="alert" title={`${med.name} and this patient's allergies`}>
              <AlertList alerts={alerts ?? []} />
            </Alert>
            <Textarea label="Reason for giving it anyway" description="Shown on the medication and recorded in the audit log" required minLength={3}
              value={overrideReason} onChange={(e) => setOverrideReason(e.currentTarget.value)} />
            <ErrorAlert error={error} />
            <Group>
              <Button variant="default" onClick={() => setAlerts(null)} data-autofocus>Do not add</Button>
              <Button type="submit" color="red" loading={pending} disabled={overrideReason.trim().length < 3}>Override and add</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <CorrectionDialog key={inactivating?.id ?? 'none'} title="Inactivate medication" opened={inactivating !== null} action="Inactivate"
        what={inactivating ? `${inactivating.name} ${inactivating.dose}` : ''}
        reasons={['Entered in error', 'Entered for the wrong patient', 'Patient is not taking it', 'Duplicate entry']}
        pending={correcting.pending} error={correcting.error} onClose={() => setInactivating(null)}
        onConfirm={async (reason) => {
          if (inactivating && (await correcting.run(api.call('medications.inactivate', { patientId, medicationId: inactivating.id, reason })))) {
            setInactivating(null);
            onChanged();
          }
        }} />
    </Section>
  );
}
