// The video call beside the visit note: who is waiting and whether their name and date of birth
// match the appointment, admitting them, the call (remote and own video), mute, camera off,
// switching camera or microphone, screen share, in-call chat, the connection's state and measured
// quality, starting a new connection when the old one drops (while the patient is there), and
// ending the call (which records its start, end and duration on the encounter). Signalling goes
// through the engine, media peer to peer.
import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppointmentId, EncounterId } from '../../../../shared/domain/ids';
import type { VisitUpdate } from '../../../../shared/domain/video';
import { assertNever } from '../../../../shared/errors';
import { describeQuality } from '../../../../shared/video/quality';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { useCallPeer } from './use-call-peer';
import { useConnectionQuality } from './use-connection-quality';
import { useLatest } from './use-latest';
import { useLocalMedia } from './use-local-media';
import { useMediaDevices } from './use-media-devices';
import { useVisitChat } from './use-visit-chat';

type Phase = 'joining' | 'waiting' | 'in-call' | 'ended' | 'unavailable';

export function VideoCallPanel({ appointmentId, encounterId, onEnded }: { appointmentId: AppointmentId; encounterId: EncounterId; onEnded: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [phase, setPhase] = useState<Phase>('joining');
  const [present, setPresent] = useState(false);
  const [identity, setIdentity] = useState<{ name: string; dateOfBirth: string; matches: boolean } | null>(null);
  const [connection, setConnection] = useState<string>('Connecting to the clinic cloud…');
  const [summary, setSummary] = useState<string | null>(null);
  const ice = useRef<RTCIceServer[]>([]);
  // Events can overtake the answer to visits.join; what they said is newer and wins.
  const heard = useRef({ presence: false, identity: false });
  // Admission is never undone in a call; the peer's callbacks read it, and presence, as they are now.
  const admitted = useRef(false);
  const ended = useRef(false);
  const presentNow = useLatest(present);
  // The peer and the local media hand each other what they need through these two.
  const localRef = useRef<ReturnType<typeof useLocalMedia> | null>(null);
  const peer = useCallPeer({
    appointmentId,
    // Only while the patient is still there (otherwise their return starts the connection).
    mayRestart: () => admitted.current && presentNow.current,
    localStream: () => localRef.current?.stream() ?? null,
    iceServers: () => ice.current,
    beforeStart: () => localRef.current?.dropShare(),
  });
  const local = useLocalMedia(peer.replaceTrack);
  localRef.current = local;
  const chat = useVisitChat(appointmentId, run);
  const devices = useMediaDevices(phase === 'in-call');
  const quality = useConnectionQuality(peer.connection, phase === 'in-call' && peer.media === 'connected');
  const { start, stop, signal, lost, mediaNow } = peer;
  const addChat = chat.add;

  useEffect(() => {
    const off = api.on('visit.update', (e) => {
      if (e.appointmentId !== appointmentId) return;
      const u: VisitUpdate = e.update;
      switch (u.kind) {
        case 'patient':
          heard.current.presence = true;
          setPresent(u.present);
          // Only the signalling socket dropped (a cloud outage): the call itself goes on.
          if (!u.present && admitted.current && mediaNow() !== 'connected') lost();
          // Back after a drop that took the call with it: connect again, without a new admission.
          // (Only from "lost": the service may say "present" again, e.g. when another workstation joins.)
          if (u.present && admitted.current && mediaNow() === 'lost') start();
          return;
        case 'identity':
          heard.current.identity = true;
          setIdentity({ name: u.name, dateOfBirth: u.dateOfBirth, matches: u.matches });
          return;
        case 'signal':
          return signal(u.call, u.data);
        case 'chat':
          return addChat('Patient', u.text);
        case 'left':
          setPresent(false);
          lost();
          return addChat('Chartroom', 'The patient left the visit.');
        case 'connection':
          // Ending the call closes the visit's socket on purpose: that is not news to report.
          if (ended.current) return;
          setConnection(u.state === 'connected' ? 'Connected to the clinic cloud.' : (u.message ?? 'The connection to the clinic cloud closed.'));
          return;
        default:
          return assertNever(u, 'visit update');
      }
    });
    void run(api.call('visits.join', { appointmentId })).then((j) => {
      if (!j) return setPhase('unavailable');
      ice.current = j.iceServers;
      if (!heard.current.presence) setPresent(j.patientPresent);
      if (!heard.current.identity) setIdentity(j.identity);
      setPhase('waiting');
      setConnection('Connected to the clinic cloud.');
    });
    return () => {
      off();
      stop();
      localRef.current?.release();
      void api.call('visits.leave', { appointmentId });
    };
  }, [api, run, appointmentId, start, stop, signal, lost, mediaNow, addChat]);

  // The newest chat line stays in view in the short log.
  const chatLog = useRef<HTMLDivElement>(null);
  useEffect(() => { chatLog.current?.scrollTo({ top: chatLog.current.scrollHeight }); }, [chat.lines.length]);

  const { showOwn } = local;
  useEffect(() => { if (phase === 'in-call') showOwn(); }, [phase, showOwn]);

  const admit = async () => {
    if (!(await local.turnOn())) return setConnection('Your camera or microphone could not be turned on; check that Chartroom may use them.');
    if (!(await run(api.call('visits.admit', { appointmentId })))) return;
    admitted.current = true;
    setPhase('in-call');
    start();
  };

  const end = useCallback(async () => {
    ended.current = true;
    const r = await run(api.call('visits.end', { appointmentId, encounterId }));
    if (!r) { ended.current = false; return; }
    setConnection('The call has ended.');
    admitted.current = false;
    stop();
    localRef.current?.release();
    setPhase('ended');
    const minutes = Math.floor(r.seconds / 60);
    setSummary(`Call ended. It lasted ${minutes} min ${r.seconds % 60} s; recorded on the encounter.`);
    onEnded();
  }, [api, run, appointmentId, encounterId, onEnded, stop]);

  const { muted, cameraOff, sharing, camera, microphone, notice, toggle, switchDevice, share, ownVideo } = local;
  const media = peer.media;
  const state = media === 'connected' ? { color: 'teal', label: 'Video connected' }
    : media === 'connecting' ? { color: 'yellow', label: 'Connecting video…' }
      : media === 'unstable' ? { color: 'orange', label: 'Connection interrupted: trying to recover…' }
        : media === 'lost' ? (present ? { color: 'red', label: 'The video connection dropped: reconnecting…' } : { color: 'red', label: 'Patient disconnected: waiting for them to come back' })
          : { color: 'gray', label: 'No video yet' };
  const qualityColor = quality ? ({ good: 'teal', fair: 'yellow', poor: 'red' } as const)[quality.level] : 'gray';

  return (
    <Card withBorder component="section" aria-label="Video visit" p="sm">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Title order={2} size="h4">Video visit</Title>
          <Text size="xs" role="status" ta="right">{connection}</Text>
        </Group>
        <ErrorAlert error={error} />
        {phase === 'unavailable' && <Alert color="gray">No active visit link for this appointment. The front desk creates it from the schedule.</Alert>}
        {phase === 'ended' && summary && <Alert color="teal" role="status">{summary}</Alert>}
        {phase === 'waiting' && (
          <>
            <Text>{present ? 'The patient is in the waiting room.' : 'The patient has not joined yet.'}</Text>
            {identity && (
              <Alert color={identity.matches ? 'teal' : 'orange'} title={identity.matches ? 'Identity matches the appointment' : 'Identity does not match the appointment'}>
                They gave: {identity.name}, born {identity.dateOfBirth}.
              </Alert>
            )}
            <Group><Button onClick={() => void admit()} loading={pending} disabled={!present}>Admit patient</Button></Group>
          </>
        )}
        {phase === 'in-call' && (
          <>
            <Group gap="xs">
              <Badge color={state.color} variant="light" role="status">{state.label}</Badge>
              {media === 'connected' && (
                <Text size="sm" c={qualityColor} role="status" aria-label="Connection quality">
                  {quality ? `${quality.label} (${describeQuality(quality)})` : 'Measuring the connection…'}
                </Text>
              )}
            </Group>
            {notice && <Alert color="orange">{notice}</Alert>}
            {/* Compact beside the note: the patient's picture capped in height, your own camera inset in its corner. */}
            <div style={{ position: 'relative' }}>
              {/* A live call has no caption file to give; the in-call chat is the text channel. */}
              {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
              <video ref={peer.remoteVideo} autoPlay playsInline aria-label="Patient video" data-testid="patient-video"
                style={{ display: 'block', width: '100%', height: 230, objectFit: 'contain', background: '#222', borderRadius: 6 }} />
              <video ref={ownVideo} autoPlay playsInline muted aria-label="Your camera"
                style={{ position: 'absolute', right: 6, bottom: 6, width: '28%', background: '#222', borderRadius: 4, border: '1px solid #fff' }} />
            </div>
            <Group gap="xs">
              <Button size="xs" variant="light" aria-pressed={muted} onClick={() => toggle('audio')}>{muted ? 'Unmute' : 'Mute'}</Button>
              <Button size="xs" variant="light" aria-pressed={cameraOff} onClick={() => {
                // The patient's page is told, so it says "camera off" rather than showing a black picture.
                toggle('video');
                void api.call('visits.camera', { appointmentId, on: cameraOff });
              }}>{cameraOff ? 'Camera on' : 'Camera off'}</Button>
              <Button size="xs" variant="light" aria-pressed={sharing} onClick={() => void share()}>{sharing ? 'Stop sharing' : 'Share screen'}</Button>
              <Button size="xs" color="red" loading={pending} onClick={() => void end()}>End call</Button>
            </Group>
            <Group gap="xs" grow>
              <NativeSelect size="xs" label="Camera" value={camera ?? ''} disabled={sharing} data={devices.cameras.map((d) => ({ value: d.deviceId, label: d.label }))}
                onChange={(e) => void switchDevice('video', e.currentTarget.value)} />
              <NativeSelect size="xs" label="Microphone" value={microphone ?? ''} data={devices.microphones.map((d) => ({ value: d.deviceId, label: d.label }))}
                onChange={(e) => void switchDevice('audio', e.currentTarget.value)} />
            </Group>
            {/* The log is a wrapper: on the list itself, role="log" would take away its list semantics. */}
            {/* A scrolling log must be reachable by keyboard to be read (WCAG 2.1.1; axe scrollable-region-focusable). */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
            <div role="log" aria-label="Chat messages" ref={chatLog} tabIndex={0} style={{ maxHeight: 84, overflowY: 'auto' }}>
              <ul style={{ margin: 0, paddingLeft: '1.2rem' }}>
                {chat.lines.map((c, i) => <li key={i}><Text span fw={600}>{c.from}:</Text> {c.text}</li>)}
              </ul>
            </div>
            <form aria-label="Chat with the patient" onSubmit={(e) => { e.preventDefault(); void chat.send(); }}>
              <Group align="end" gap="xs">
                <TextInput size="xs" label="Message to the patient" value={chat.text} onChange={(e) => chat.setText(e.currentTarget.value)} style={{ flex: 1 }} />
                <Button type="submit" size="xs" variant="light">Send</Button>
              </Group>
            </form>
          </>
        )}
      </Stack>
    </Card>
  );
}
