// Note templates for physicians: the clinic's list, and a form to create one or edit one
// (its name and the SOAP sections a new note starts from). They sync to every workstation.
import { Button, Card, Group, NavLink, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { NoteTemplate, Soap } from '../../../../shared/domain/chart';
import type { NoteTemplateId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const sections: readonly [keyof Soap, string][] = [['subjective', 'Subjective'], ['objective', 'Objective'], ['assessment', 'Assessment'], ['plan', 'Plan']];
const blank = { name: '', subjective: '', objective: '', assessment: '', plan: '' };

export function TemplatesPage() {
  const api = useApi();
  const list = useCall();
  const { pending, error, run } = useCall();
  const [templates, setTemplates] = useState<readonly NoteTemplate[]>([]);
  const [editing, setEditing] = useState<NoteTemplateId | null>(null);
  const [form, setForm] = useState(blank);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await list.run(api.call('notes.templates', {}));
    if (r) setTemplates(r);
  }, [api]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { void load(); }, [load]);

  const open = (t: NoteTemplate | null) => {
    setEditing(t?.id ?? null);
    setForm(t ? { name: t.name, subjective: t.subjective, objective: t.objective, assessment: t.assessment, plan: t.plan } : blank);
    setSaved(null);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Note templates</Title>
        <Button onClick={() => open(null)}>New template</Button>
      </Group>
      <Text size="sm" c="dimmed">A visit note can start from a template; sections already written are never overwritten.</Text>
      <ErrorAlert error={list.error} />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder component="nav" aria-label="Templates">
          {templates.map((t) => <NavLink key={t.id} component="button" label={t.name} active={t.id === editing} onClick={() => open(t)} />)}
          {templates.length === 0 && <Text c="dimmed">No templates yet. Write the first one.</Text>}
        </Card>
        <Card withBorder component="section" aria-label={editing ? `Edit template ${form.name}` : 'New template'} style={{ gridColumn: 'span 2' }}>
          <form onSubmit={async (e) => {
            e.preventDefault();
            const t = await run(api.call('notes.saveTemplate', { id: editing ?? undefined, template: form }));
            if (!t) return;
            setEditing(t.id);
            setSaved(`Saved “${t.name}”.`);
            await load();
          }}>
            <Stack>
              <Title order={2} size="h4">{editing ? 'Edit template' : 'New template'}</Title>
              <TextInput label="Template name" required maxLength={80} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
              {sections.map(([k, label]) => (
                <Textarea key={k} label={label} autosize minRows={2} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.currentTarget.value })} />
              ))}
              <ErrorAlert error={error} />
              {saved && <Text role="status">{saved}</Text>}
              <Group><Button type="submit" loading={pending}>Save template</Button></Group>
            </Stack>
          </form>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
