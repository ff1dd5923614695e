// Clinic settings for admins: the inactivity auto-lock, and the servers video visits connect through.
import { Button, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ClinicSettings } from '../../../../shared/domain/settings';
import { issueInWords } from '../../../../shared/field-labels';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { VideoSettings } from '../video/VideoSettings';

export function SettingsPage({ onSaved }: { onSaved: (s: ClinicSettings) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  // Null until the saved value is in: the field is not shown before, so nothing typed is overwritten.
  const [seconds, setSeconds] = useState<number | string | null>(null);
  const [saved, setSaved] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  useEffect(() => {
    void run(api.call('settings.get', {})).then((s) => s && setSeconds(s.autoLockSeconds));
  }, [api, run]);
  return (
    <>
    <form
      aria-labelledby="settings-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        // Out of range is refused with the range, never quietly moved into it.
        const parsed = ClinicSettings.safeParse({ autoLockSeconds: seconds === '' ? Number.NaN : Number(seconds) });
        if (!parsed.success) { setInvalid(`${parsed.error.issues.map(issueInWords).join('; ')}. Choose from 15 seconds to 8 hours.`); return; }
        const s = await run(api.call('settings.update', parsed.data));
        if (s) { setSaved(true); onSaved(s); }
      }}
    >
      <Stack maw={420}>
        <Title order={1} size="h2" id="settings-title">Clinic settings</Title>
        {seconds === null ? <Loader size="sm" aria-label="Loading the settings" /> : <NumberInput
          label="Lock the screen after inactivity (seconds)"
          description="From 15 seconds to 8 hours (28,800); 600 seconds = 10 minutes. Applies to every user on every workstation of the clinic."
          min={15}
          max={28800}
          clampBehavior="none"
          allowDecimal={false}
          value={seconds}
          error={invalid}
          onChange={(v) => { setSeconds(v); setInvalid(null); }}
        />}
        <ErrorAlert error={error} />
        {saved && <Text role="status">Saved.</Text>}
        <Group><Button type="submit" loading={pending}>Save settings</Button></Group>
      </Stack>
    </form>
    <VideoSettings />
    </>
  );
}
