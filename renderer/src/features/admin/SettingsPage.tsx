// Clinic settings for admins: the inactivity auto-lock, the public address video links use, the
// servers video visits connect through, and this workstation's daily offline backup.
import { Button, Group, Loader, NumberInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ClinicSettings, type TimeFormat } from '../../../../shared/domain/settings';
import { issueInWords } from '../../../../shared/field-labels';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { VideoSettings } from '../video/VideoSettings';
import { BackupSettings } from './BackupSettings';

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
        const parsed = ClinicSettings.pick({ autoLockSeconds: true }).safeParse({ autoLockSeconds: seconds === '' ? Number.NaN : Number(seconds) });
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
    <TimeFormatForm onSaved={onSaved} />
    <PublicAddressForm />
    <VideoSettings />
    <BackupSettings />
    </>
  );
}

/** The address patients' video links use, when the clinic cloud is reachable from outside under another name. */
function PublicAddressForm() {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [address, setAddress] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  useEffect(() => {
    void run(api.call('settings.get', {})).then((s) => s && setAddress(s.publicAddress));
  }, [api, run]);
  return (
    <form aria-labelledby="links-title" style={{ marginTop: 32 }} onSubmit={async (e) => {
      e.preventDefault();
      setSaved(false);
      const parsed = ClinicSettings.pick({ publicAddress: true }).safeParse({ publicAddress: address ?? '' });
      if (!parsed.success) { setInvalid(parsed.error.issues.map(issueInWords).join('; ')); return; }
      if (await run(api.call('settings.update', parsed.data))) setSaved(true);
    }}>
      <Stack maw={520}>
        <Title order={2} size="h3" id="links-title">Video visit links</Title>
        {address === null ? <Loader size="sm" aria-label="Loading the public address" /> : (
          <TextInput label="The clinic's public address" placeholder="https://visits.maplestreet.example" value={address} error={invalid}
            description="Where patients reach your clinic cloud from the internet (your IT sets it up, with TLS). Empty: links use this workstation's cloud address, which for the built-in cloud works only on this computer."
            onChange={(e) => { setAddress(e.currentTarget.value); setInvalid(null); setSaved(false); }} />
        )}
        <ErrorAlert error={error} />
        {saved && <Text role="status">Saved. New links use this address.</Text>}
        <Group><Button type="submit" loading={pending}>Save address</Button></Group>
      </Stack>
    </form>
  );
}

/** One way of writing times on every screen and workstation of the clinic. */
function TimeFormatForm({ onSaved }: { onSaved: (s: ClinicSettings) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [value, setValue] = useState<TimeFormat | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void run(api.call('settings.get', {})).then((s) => s && setValue(s.timeFormat));
  }, [api, run]);
  return (
    <form aria-labelledby="time-format-title" style={{ marginTop: 32 }} onSubmit={async (e) => {
      e.preventDefault();
      if (!value) return;
      const s = await run(api.call('settings.update', { timeFormat: value }));
      if (s) { setSaved(true); onSaved(s); }
    }}>
      <Stack maw={520}>
        <Title order={2} size="h3" id="time-format-title">Times</Title>
        {value === null ? <Loader size="sm" aria-label="Loading the time format" /> : (
          <Radio.Group label="Write times as" description="In the schedule, Today, dialogs, the chart and the audit log, on every workstation of the clinic."
            value={value} onChange={(v) => { setValue(v as TimeFormat); setSaved(false); }}>
            <Group mt={4}>
              <Radio value="24h" label="24-hour (14:30)" />
              <Radio value="12h" label="12-hour (2:30 PM)" />
            </Group>
          </Radio.Group>
        )}
        <ErrorAlert error={error} />
        {saved && <Text role="status">Saved.</Text>}
        <Group><Button type="submit" loading={pending}>Save time format</Button></Group>
      </Stack>
    </form>
  );
}
