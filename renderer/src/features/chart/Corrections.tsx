// Corrections as the chart keeps them: a dialog that asks why (entered in error, not taken…)
// before an entry is made inactive, and the line that shows who corrected an entry, when and why.
import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { format } from 'date-fns';
import { useState } from 'react';
import type { Correction } from '../../../../shared/domain/chart';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { AppError } from '../../../../shared/errors';

const other = 'Other (say why)';

export function CorrectionDialog({ title, what, reasons, action, opened, pending, error, onClose, onConfirm }: {
  title: string;
  /** What is being corrected, as the user reads it: "Weight 330.7 lb, Dec 1 10:02". */
  what: string;
  reasons: readonly string[];
  action: string;
  opened: boolean;
  pending: boolean;
  error: AppError | null;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [choice, setChoice] = useState(reasons[0] ?? other);
  const [text, setText] = useState('');
  const reason = choice === other ? text.trim() : choice;
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={(e) => { e.preventDefault(); if (reason.length >= 3) onConfirm(reason); }}>
        <Stack>
          <Text size="sm">{what}</Text>
          <Text size="sm" c="dimmed">It stays in the record, marked, with your name and the reason.</Text>
          <NativeSelect label="Reason" value={choice} onChange={(e) => setChoice(e.currentTarget.value)} data={[...reasons, other]} data-autofocus />
          {choice === other && <TextInput label="Why" required minLength={3} maxLength={300} value={text} onChange={(e) => setText(e.currentTarget.value)} />}
          <ErrorAlert error={error} />
          <Group>
            <Button variant="default" onClick={onClose}>Keep it</Button>
            <Button type="submit" color="red" loading={pending} disabled={reason.length < 3}>{action}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** "Entered in error · Ada Admin, Dec 2, 2026 14:05: weight in kg, meant lb". */
export function CorrectionLine({ label, correction }: { label: string; correction: Correction }) {
  return (
    <Text size="xs" c="dimmed" span>
      {label} · {correction.byName}, {format(new Date(correction.at), 'MMM d, yyyy HH:mm')}: {correction.reason}
    </Text>
  );
}
