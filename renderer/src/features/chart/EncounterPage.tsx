// One encounter: the SOAP note, saved as it is typed (a crash loses at most the last second),
// note templates, signing, and addenda under a signed note.
import { Alert, Badge, Button, Card, Group, Loader, Modal, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { format } from 'date-fns';
import { useEffect, useRef, useState } from 'react';
import type { Encounter, Note, NoteTemplate, Soap } from '../../../../shared/domain/chart';
import type { EncounterId, PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VideoCallPanel } from '../video/VideoCallPanel';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';
import { useCall } from '../../lib/use-call';
import { usePatientRecord } from '../patients/patient-record';

const sections: readonly [keyof Soap, string][] = [['subjective', 'Subjective'], ['objective', 'Objective'], ['assessment', 'Assessment'], ['plan', 'Plan']];

export function SignedNote({ note }: { note: Note }) {
  return (
    <Stack gap="xs">
      {sections.map(([k, label]) => (
        <div key={k}>
          <Text fw={600} size="sm">{label}</Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{note[k] || '—'}</Text>
        </div>
      ))}
      <Text size="sm" c="dimmed">Signed by {note.signedByName} on {note.signedAt ? format(new Date(note.signedAt), 'MMM d, yyyy HH:mm') : ''}</Text>
      {note.addenda.map((a) => (
        <Card key={a.id} withBorder p="xs" aria-label="Addendum">
          <Text size="sm" fw={600}>Addendum · {a.authorName} · {format(new Date(a.signedAt), 'MMM d, yyyy HH:mm')}</Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{a.text}</Text>
        </Card>
      ))}
    </Stack>
  );
}

export function EncounterPage({ patientId, encounterId, onBack, onPrint }: { patientId: PatientId; encounterId: EncounterId; onBack: () => void; onPrint: () => void }) {
  const api = useApi();
  const { can } = usePermissions();
  const { pending, error, run } = useCall();
  const save = useCall();
  const [encounter, setEncounter] = useState<Encounter | null>(null);
  const [soap, setSoap] = useState<Soap>({ subjective: '', objective: '', assessment: '', plan: '' });
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [templates, setTemplates] = useState<readonly NoteTemplate[]>([]);
  const [addendum, setAddendum] = useState('');
  const [video, setVideo] = useState(false);
  const [confirmSign, setConfirmSign] = useState(false);
  const { patient } = usePatientRecord();
  const clinical = can('chart.clinical');
  const latest = useRef(soap);
  /** Typed since the last save: only then is there anything to save before signing. */
  const dirty = useRef(false);

  useEffect(() => {
    void run(api.call('encounters.get', { patientId, encounterId })).then((e) => {
      if (!e) return;
      setEncounter(e);
      const { subjective, objective, assessment, plan } = e.note;
      latest.current = { subjective, objective, assessment, plan };
      dirty.current = false;
      setSoap(latest.current);
      // A video appointment with a live link: the call sits beside the note.
      if (e.appointmentId && clinical && !e.call) {
        void api.call('visits.link', { appointmentId: e.appointmentId }).then((l) => setVideo(l.ok && l.value?.state === 'active'));
      }
    });
    void api.call('notes.templates', {}).then((r) => r.ok && setTemplates(r.value));
  }, [api, run, clinical, patientId, encounterId]);

  const persist = useDebouncedCallback(async () => {
    if (!encounter) return;
    dirty.current = false;
    const note = await save.run(api.call('notes.saveDraft', { patientId, noteId: encounter.note.id, soap: latest.current }));
    if (note) setSavedAt(format(new Date(note.updatedAt), 'HH:mm:ss'));
    else dirty.current = true;
  }, { delay: 600, flushOnUnmount: true }); // leaving the page must not drop the last keystrokes

  const edit = (k: keyof Soap, v: string) => {
    const next = { ...latest.current, [k]: v };
    latest.current = next;
    dirty.current = true;
    setSoap(next);
    setSavedAt(null);
    void persist();
  };

  // A draft open in the editor holds any update's install until the editor closes (issue 13).
  const editing = !!encounter && encounter.note.status === 'draft' && clinical;
  useEffect(() => {
    if (!editing) return;
    void api.call('updates.noteEditing', { encounterId, editing: true });
    return () => void api.call('updates.noteEditing', { encounterId, editing: false });
  }, [api, editing, encounterId]);

  if (error && !encounter) return <ErrorAlert error={error} />;
  if (!encounter) return <Loader aria-label="Loading encounter" />;
  const note = encounter.note;
  const editable = note.status === 'draft' && can('chart.clinical');

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">Encounter, {format(new Date(encounter.startedAt), 'MMMM d, yyyy')}</Title>
          <Text c="dimmed">{encounter.providerName} · {encounter.kind === 'walk-in' ? 'Walk-in' : 'Appointment'}</Text>
        </div>
        <Group>
          <Badge size="lg" color={note.status === 'signed' ? 'green' : 'yellow'}>{note.status === 'signed' ? 'Signed' : 'Draft'}</Badge>
          <Button variant="default" onClick={onBack}>Back to chart</Button>
          {note.status === 'signed' && <Button variant="light" onClick={onPrint}>Visit summary (PDF)</Button>}
        </Group>
      </Group>

      {encounter.call && (
        <Text size="sm" role="status">
          Video call {format(new Date(encounter.call.startedAt), 'HH:mm')}–{format(new Date(encounter.call.endedAt), 'HH:mm')}, {Math.round(encounter.call.seconds / 60)} min
        </Text>
      )}
      <Group align="flex-start" gap="md" wrap="nowrap">
      <Stack style={{ flex: 1, minWidth: 0 }}>
      {editable ? (
        <Card withBorder component="section" aria-label="SOAP note">
          <Stack>
            {templates.length === 0 && <Text size="sm" c="dimmed">No note templates yet: physicians write them under Note templates.</Text>}
            {templates.length > 0 && (
              <NativeSelect label="Start from a template" value="" onChange={(e) => {
                const t = templates.find((x) => x.id === e.currentTarget.value);
                if (!t) return;
                for (const [k] of sections) if (!latest.current[k] && t[k]) edit(k, t[k]);
              }} data={[{ value: '', label: 'Choose a template…' }, ...templates.map((t) => ({ value: t.id, label: t.name }))]} />
            )}
            {sections.map(([k, label]) => (
              <Textarea key={k} label={label} autosize minRows={3} value={soap[k]} onChange={(e) => edit(k, e.currentTarget.value)} />
            ))}
            <Text size="sm" c="dimmed" role="status" aria-live="polite">
              {save.pending ? 'Saving…' : savedAt ? `Draft saved at ${savedAt}` : 'Changes save automatically'}
            </Text>
            <ErrorAlert error={save.error ?? error} />
            {can('notes.sign') && (
              <Group>
                <Button loading={pending} onClick={() => setConfirmSign(true)}>Sign note</Button>
                <Text size="sm" c="dimmed">A signed note can no longer change; corrections become addenda.</Text>
              </Group>
            )}
          </Stack>
        </Card>
      ) : (
        <Card withBorder component="section" aria-label="SOAP note">
          {note.status === 'signed' ? <SignedNote note={note} /> : (
            <Stack>
              <Alert color="yellow">Draft, not yet signed.</Alert>
              {sections.map(([k, label]) => <div key={k}><Text fw={600} size="sm">{label}</Text><Text style={{ whiteSpace: 'pre-wrap' }}>{note[k] || '—'}</Text></div>)}
            </Stack>
          )}
        </Card>
      )}

      <Modal opened={confirmSign} onClose={() => setConfirmSign(false)} title="Sign this note?">
        <Stack>
          <Text size="sm">
            You sign the note of {patient ? `${patient.familyName}, ${patient.givenNames} (MRN ${patient.mrn})` : 'this patient'} for the
            encounter of {format(new Date(encounter.startedAt), 'MMMM d, yyyy')}. A signed note can no longer change; corrections become addenda.
          </Text>
          <Group>
            <Button variant="default" onClick={() => setConfirmSign(false)} data-autofocus>Keep editing</Button>
            <Button loading={pending} onClick={async () => {
              persist.cancel();
              if (dirty.current && !(await save.run(api.call('notes.saveDraft', { patientId, noteId: note.id, soap: latest.current })))) return;
              dirty.current = false;
              const signed = await run(api.call('notes.sign', { patientId, noteId: note.id }));
              setConfirmSign(false);
              if (signed) setEncounter({ ...encounter, note: signed });
            }}>Sign note</Button>
          </Group>
        </Stack>
      </Modal>

      {note.status === 'signed' && can('notes.sign') && (
        <Card withBorder component="section" aria-label="Add an addendum">
          <form onSubmit={async (e) => {
            e.preventDefault();
            const updated = await run(api.call('notes.addAddendum', { patientId, noteId: note.id, text: addendum }));
            if (updated) { setEncounter({ ...encounter, note: updated }); setAddendum(''); }
          }}>
            <Stack>
              <Textarea label="Addendum" description="Signed and timestamped when added" value={addendum} onChange={(e) => setAddendum(e.currentTarget.value)} />
              <ErrorAlert error={error} />
              <Group><Button type="submit" loading={pending}>Sign addendum</Button></Group>
            </Stack>
          </form>
        </Card>
      )}
      </Stack>
      {/* The call sits beside the note, in view while the note scrolls: note, video and controls at once on a 1366×768 screen. */}
      {video && encounter.appointmentId && (
        <div style={{ width: 400, flexShrink: 0, position: 'sticky', top: 'calc(var(--app-shell-header-height, 0px) + 96px)', maxHeight: 'calc(100vh - var(--app-shell-header-height, 0px) - 104px)', overflowY: 'auto' }}>
          <VideoCallPanel appointmentId={encounter.appointmentId} encounterId={encounter.id} onEnded={() => {
            void api.call('encounters.get', { patientId, encounterId }).then((r) => r.ok && setEncounter((cur) => (cur ? { ...cur, call: r.value.call } : cur)));
          }} />
        </div>
      )}
      </Group>
    </Stack>
  );
}
