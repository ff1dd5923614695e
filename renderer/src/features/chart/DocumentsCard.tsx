// Documents attached to the chart (PDFs and images, up to 64 MB): sent to the engine in chunks of
// 1 MiB with the progress shown, kept in the encrypted database, and viewed in the app from
// memory (read back chunk by chunk), never written to disk as plain files. A document attached on
// another workstation shows as arriving until its chunks are here.
import { Button, FileButton, Group, Modal, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { type ChartSummary, type DocumentInfo, documentTypes } from '../../../../shared/domain/chart';
import { MAX_BLOB_BYTES } from '../../../../shared/documents/blob-wire';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { PatientBanner } from '../patients/PatientBanner';
import { usePatientRecord } from '../patients/patient-record';
import { Section } from './ChartCards';

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
}

function DocumentViewer({ patientId, doc, onClose }: { patientId: PatientId; doc: DocumentInfo | null; onClose: () => void }) {
  const api = useApi();
  const { error, run } = useCall();
  const { patient, summary } = usePatientRecord();
  const [url, setUrl] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(0);
  useEffect(() => {
    if (!doc) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    setLoaded(0);
    void (async () => {
      const info = await run(api.call('documents.get', { patientId, documentId: doc.id }));
      if (!info || info.state !== 'here') return;
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let index = 0; index < info.chunks && !cancelled; index++) {
        const chunk = await run(api.call('documents.chunk', { patientId, documentId: doc.id, index }));
        if (!chunk) return;
        parts.push(fromBase64(chunk.data));
        setLoaded(index + 1);
      }
      if (cancelled) return;
      objectUrl = URL.createObjectURL(new Blob(parts, { type: info.mime }));
      setUrl(objectUrl);
    })();
    return () => { cancelled = true; if (objectUrl) URL.revokeObjectURL(objectUrl); setUrl(null); };
  }, [api, run, patientId, doc]);
  return (
    <Modal opened={doc !== null} onClose={onClose} title={doc?.title ?? ''} size="xl">
      {/* The viewer covers the chart: it carries the banner itself, so the document is never read as someone else's. */}
      {patient && <PatientBanner patient={patient} summary={summary} print />}
      <ErrorAlert error={error} />
      {doc && !url && doc.state === 'here' && doc.chunks > 1 && <Progress value={(100 * loaded) / doc.chunks} aria-label={`Opening ${doc.title}`} />}
      {doc?.state === 'arriving' && <Text>This document is still arriving from the clinic cloud ({doc.received} of {doc.chunks} MB). Try again in a moment.</Text>}
      {doc?.state === 'unavailable' && <Text>This document failed its checks and cannot be shown. The admin has been told under Workstations.</Text>}
      {url && doc?.mime === 'application/pdf' && <iframe title={doc.title} src={url} style={{ width: '100%', height: '70vh', border: 0 }} />}
      {url && doc && doc.mime !== 'application/pdf' && <img src={url} alt={doc.title} style={{ maxWidth: '100%' }} />}
    </Modal>
  );
}

/** Hex SHA-256 of a file, computed here so the engine can check what it received. */
async function sha256Of(buffer: ArrayBuffer): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buffer)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const stateText = (d: DocumentInfo) => (d.state === 'arriving' ? ` · arriving ${Math.round((100 * d.received) / d.chunks)}%` : d.state === 'unavailable' ? ' · failed its checks' : '');

export function DocumentsCard({ patientId, summary, canUpload, onChanged }: { patientId: PatientId; summary: ChartSummary; canUpload: boolean; onChanged: () => void }) {
  const api = useApi();
  const { pending, error, setError, run } = useCall();
  const [title, setTitle] = useState('');
  const [viewing, setViewing] = useState<DocumentInfo | null>(null);
  const [sent, setSent] = useState<{ done: number; total: number } | null>(null);
  const upload = async (file: File | null) => {
    if (!file) return;
    if (!(documentTypes as readonly string[]).includes(file.type)) { setError({ code: 'invalid-input', message: 'Attach a PDF, PNG or JPEG file.' }); return; }
    if (file.size > MAX_BLOB_BYTES) { setError({ code: 'invalid-input', message: `The file is larger than ${MAX_BLOB_BYTES / 1024 / 1024} MB.` }); return; }
    const buffer = await file.arrayBuffer();
    const begun = await run(api.call('documents.beginUpload', { patientId, title: title.trim() || file.name, mime: file.type as DocumentInfo['mime'], bytes: file.size, sha256: await sha256Of(buffer) }));
    if (!begun) return;
    const total = Math.max(1, Math.ceil(file.size / begun.chunkBytes));
    setSent({ done: 0, total });
    try {
      for (let index = 0; index < total; index++) {
        const data = toBase64(buffer.slice(index * begun.chunkBytes, (index + 1) * begun.chunkBytes));
        if (!(await run(api.call('documents.uploadChunk', { uploadId: begun.uploadId, index, data })))) return;
        setSent({ done: index + 1, total });
      }
      if (await run(api.call('documents.finishUpload', { uploadId: begun.uploadId }))) { setTitle(''); onChanged(); }
    } finally {
      setSent(null);
    }
  };
  return (
    <Section title="Documents">
      <Table aria-label="Documents">
        <Table.Tbody>
          {summary.documents.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.title}</Table.Td>
              <Table.Td><Text size="sm" c="dimmed">{new Date(d.uploadedAt).toLocaleDateString()} · {d.uploadedByName} · {Math.ceil(d.bytes / 1024)} KB{stateText(d)}</Text></Table.Td>
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
          {sent && <Progress value={(100 * sent.done) / sent.total} aria-label={`Attaching: ${sent.done} of ${sent.total} MB sent`} />}
          {sent && <Text size="sm" role="status">Attaching… {sent.done} of {sent.total} MB</Text>}
          <ErrorAlert error={error} />
        </Stack>
      )}
      <DocumentViewer patientId={patientId} doc={viewing} onClose={() => setViewing(null)} />
    </Section>
  );
}
