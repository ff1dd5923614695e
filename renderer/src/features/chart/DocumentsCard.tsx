// Documents attached to the chart (PDFs and images): uploaded into the encrypted database and
// viewed in the app from memory, never written to disk as plain files.
import { Button, FileButton, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { type ChartSummary, type DocumentInfo, documentTypes, MAX_DOCUMENT_BYTES } from '../../../../shared/domain/chart';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { Section } from './ChartCards';

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function DocumentViewer({ patientId, doc, onClose }: { patientId: PatientId; doc: DocumentInfo | null; onClose: () => void }) {
  const api = useApi();
  const { error, run } = useCall();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!doc) return;
    let objectUrl: string | null = null;
    void run(api.call('documents.get', { patientId, documentId: doc.id })).then((r) => {
      if (!r) return;
      const bytes = Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
      objectUrl = URL.createObjectURL(new Blob([bytes], { type: r.info.mime }));
      setUrl(objectUrl);
    });
    return () => { if (objectUrl) URL.revokeObjectURL(objectUrl); setUrl(null); };
  }, [api, run, patientId, doc]);
  return (
    <Modal opened={doc !== null} onClose={onClose} title={doc?.title ?? ''} size="xl">
      <ErrorAlert error={error} />
      {url && doc?.mime === 'application/pdf' && <iframe title={doc.title} src={url} style={{ width: '100%', height: '70vh', border: 0 }} />}
      {url && doc && doc.mime !== 'application/pdf' && <img src={url} alt={doc.title} style={{ maxWidth: '100%' }} />}
    </Modal>
  );
}

export function DocumentsCard({ patientId, summary, canUpload, onChanged }: { patientId: PatientId; summary: ChartSummary; canUpload: boolean; onChanged: () => void }) {
  const api = useApi();
  const { pending, error, setError, run } = useCall();
  const [title, setTitle] = useState('');
  const [viewing, setViewing] = useState<DocumentInfo | null>(null);
  const upload = async (file: File | null) => {
    if (!file) return;
    if (!(documentTypes as readonly string[]).includes(file.type)) { setError({ code: 'invalid-input', message: 'Attach a PDF, PNG or JPEG file.' }); return; }
    if (file.size > MAX_DOCUMENT_BYTES) { setError({ code: 'invalid-input', message: 'The file is larger than 15 MB.' }); return; }
    const data = toBase64(await file.arrayBuffer());
    const r = await run(api.call('documents.upload', { patientId, title: title.trim() || file.name, mime: file.type as DocumentInfo['mime'], data }));
    if (r) { setTitle(''); onChanged(); }
  };
  return (
    <Section title="Documents">
      <Table aria-label="Documents">
        <Table.Tbody>
          {summary.documents.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.title}</Table.Td>
              <Table.Td><Text size="sm" c="dimmed">{new Date(d.uploadedAt).toLocaleDateString()} · {d.uploadedByName} · {Math.ceil(d.bytes / 1024)} KB</Text></Table.Td>
              <Table.Td><Button size="compact-xs" variant="light" aria-label={`View ${d.title}`} onClick={() => setViewing(d)}>View</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {summary.documents.length === 0 && <Text c="dimmed">None attached</Text>}
      {canUpload && (
        <Stack gap={4} mt="sm">
          <Group align="flex-end" gap="xs">
            <TextInput label="Document title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
            <FileButton onChange={(f) => void upload(f)} accept={documentTypes.join(',')}>
              {(props) => <Button {...props} loading={pending}>Attach PDF or image</Button>}
            </FileButton>
          </Group>
          <ErrorAlert error={error} />
        </Stack>
      )}
      <DocumentViewer patientId={patientId} doc={viewing} onClose={() => setViewing(null)} />
    </Section>
  );
}
