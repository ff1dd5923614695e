// Allergies: the active ones, recording one (or "no known allergies"), and making one inactive
// with a reason (entered in error, an intolerance rather than an allergy); inactive ones stay
// listed, struck through, with the reason.
import { Badge, Button, Group, List, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Allergy } from '../../../../shared/domain/chart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { type CardProps, Section } from './ChartCards';
import { CorrectionDialog, CorrectionLine } from './Corrections';

export function AllergiesCard({ patientId, summary, canEdit, onChanged }: CardProps) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const correcting = useCall();
  const [substance, setSubstance] = useState('');
  const [reaction, setReaction] = useState('');
  const [severity, setSeverity] = useState<Allergy['severity']>('unknown');
  const [inactivating, setInactivating] = useState<Allergy | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  return (
    <Section title="Allergies">
      {summary.allergyStatus === 'none' && <Text>No known allergies</Text>}
      {summary.allergyStatus === 'unknown' && <Text c="dimmed">Not recorded yet</Text>}
      <List spacing={2}>
        {summary.allergies.map((a) => (
          <List.Item key={a.id}>
            <strong>{a.substance}</strong>{a.reaction ? ` — ${a.reaction}` : ''} <Badge size="xs" color={a.severity === 'severe' ? 'red' : 'gray'}>{a.severity}</Badge>
            {canEdit && (
              <Button size="compact-xs" variant="subtle" color="red" ml={4} aria-label={`Inactivate allergy to ${a.substance}`} onClick={() => setInactivating(a)}>Inactivate</Button>
            )}
          </List.Item>
        ))}
      </List>
      {summary.inactiveAllergies.length > 0 && (
        <>
          <Button size="compact-xs" variant="subtle" mt={4} aria-expanded={showInactive} onClick={() => setShowInactive(!showInactive)}>
            {showInactive ? 'Hide' : 'Show'} inactive ({summary.inactiveAllergies.length})
          </Button>
          {showInactive && (
            <Stack gap={2} aria-label="Inactive allergies" role="list">
              {summary.inactiveAllergies.map((a) => (
                <div key={a.id} role="listitem">
                  <Text span td="line-through">{a.substance}</Text> {a.inactive && <CorrectionLine label="Inactive" correction={a.inactive} />}
                </div>
              ))}
            </Stack>
          )}
        </>
      )}
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
      <CorrectionDialog key={inactivating?.id ?? 'none'} title="Inactivate allergy" opened={inactivating !== null} action="Inactivate"
        what={inactivating ? `Allergy to ${inactivating.substance}${inactivating.reaction ? ` (${inactivating.reaction})` : ''}` : ''}
        reasons={['Entered in error', 'Entered for the wrong patient', 'An intolerance, not an allergy', 'Tolerated since (de-labelled)']}
        pending={correcting.pending} error={correcting.error} onClose={() => setInactivating(null)}
        onConfirm={async (reason) => {
          if (inactivating && (await correcting.run(api.call('allergies.remove', { patientId, allergyId: inactivating.id, reason })))) { setInactivating(null); onChanged(); }
        }} />
    </Section>
  );
}
