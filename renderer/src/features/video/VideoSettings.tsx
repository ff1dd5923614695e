// The clinic's STUN and TURN servers for video visits, kept at the clinic cloud: a clinic behind a
// strict firewall needs a TURN relay (coturn with a shared secret). The secret can be set or
// replaced here but is never shown again.
import { Alert, Button, Group, Loader, PasswordInput, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { IceSettingsView } from '../../../../shared/domain/video';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const lines = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);

export function VideoSettings() {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [view, setView] = useState<IceSettingsView | null>(null);
  const [offline, setOffline] = useState<string | null>(null);
  const [stun, setStun] = useState('');
  const [turn, setTurn] = useState('');
  const [secret, setSecret] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void api.call('visits.iceSettings', {}).then((r) => {
      if (!r.ok) return setOffline(r.error.message);
      setView(r.value);
      setStun(r.value.stunUrls.join('\n'));
      setTurn(r.value.turnUrls.join('\n'));
    });
  }, [api]);
  return (
    <form aria-labelledby="video-settings-title" onSubmit={async (e) => {
      e.preventDefault();
      setSaved(false);
      const r = await run(api.call('visits.setIceSettings', { stunUrls: lines(stun), turnUrls: lines(turn), ...(secret ? { turnSecret: secret } : {}) }));
      if (r) { setView(r); setSecret(''); setSaved(true); }
    }}>
      <Stack maw={520} mt="xl">
        <Title order={2} size="h3" id="video-settings-title">Video visits: connection servers</Title>
        {/* The fields appear only once the saved values are in, so nothing typed is overwritten by them. */}
        {offline ? <Alert color="gray">{offline}</Alert> : !view ? <Loader size="sm" aria-label="Loading the connection servers" /> : (
          <>
            <Text size="sm">Calls connect directly when they can. A clinic behind a strict firewall needs a TURN relay; its credentials expire with each visit.</Text>
            <Textarea label="STUN servers" description="One per line, e.g. stun:stun.example.org:3478" autosize minRows={2} value={stun} onChange={(e) => setStun(e.currentTarget.value)} />
            <Textarea label="TURN servers" description="One per line, e.g. turn:turn.example.org:3478?transport=udp" autosize minRows={2} value={turn} onChange={(e) => setTurn(e.currentTarget.value)} />
            <PasswordInput label="TURN shared secret" autoComplete="off"
              description={view.hasTurnSecret ? 'A secret is set. Leave empty to keep it, or enter a new one.' : 'coturn’s static-auth-secret.'}
              value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
            <ErrorAlert error={error} />
            {saved && <Text role="status">Saved at the clinic cloud.</Text>}
            <Group><Button type="submit" loading={pending}>Save connection servers</Button></Group>
          </>
        )}
      </Stack>
    </form>
  );
}
