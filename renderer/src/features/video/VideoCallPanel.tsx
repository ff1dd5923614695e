// The video call beside the visit note: who is waiting and whether their name and date of birth
// match the appointment, admitting them, the call (remote and own video), mute, camera off,
// screen share, in-call chat, connection state, and ending the call (which records its start,
// end and duration on the encounter). Signalling goes through the engine, media peer to peer.
import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type SimplePeerType from 'simple-peer';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { AppointmentId, EncounterId } from '../../../../shared/domain/ids';
import type { VisitUpdate } from '../../../../shared/domain/video';
import type { SignalData } from '../../../../shared/video/wire';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

type Phase = 'joining' | 'waiting' | 'in-call' | 'ended' | 'unavailable';

export function VideoCallPanel({ appointmentId, encounterId, onEnded }: { appointmentId: AppointmentId; encounterId: EncounterId; onEnded: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [phase, setPhase] = useState<Phase>('joining');
  const [present, setPresent] = useState(false);
  const [identity, setIdentity] = useState<{ name: string; dateOfBirth: string; matches: boolean } | null>(null);
  const [connection, setConnection] = useState<string>('Connecting to the clinic cloud…');
  const [media, setMediaState] = useState<'none' | 'connecting' | 'connected' | 'lost'>('none');
  const mediaNow = useRef<'none' | 'connecting' | 'connected' | 'lost'>('none');
  const setMedia = useCallback((m: 'none' | 'connecting' | 'connected' | 'lost') => { mediaNow.current = m; setMediaState(m); }, []);
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [chat, setChat] = useState<{ from: string; text: string }[]>([]);
  const [text, setText] = useState('');
  const [summary, setSummary] = useState<string | null>(null);
  const local = useRef<MediaStream | null>(null);
  const peer = useRef<SimplePeerType.Instance | null>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const ownVideo = useRef<HTMLVideoElement>(null);
  const admitted = useRef(false);
  const ice = useRef<RTCIceServer[]>([]);
  // Events can overtake the answer to visits.join; what they said is newer and wins.
  const heard = useRef({ presence: false, identity: false });

  /** A new connection, started from this side (after admitting, and again after a drop). */
  const startPeer = useCallback(() => {
    peer.current?.destroy();
    setMedia('connecting');
    const p = new SimplePeer({ initiator: true, stream: local.current ?? undefined, trickle: true, config: { iceServers: ice.current } });
    p.on('signal', (data) => void api.call('visits.signal', { appointmentId, data: data as SignalData }));
    p.on('stream', (s: MediaStream) => { if (remoteVideo.current) remoteVideo.current.srcObject = s; });
    p.on('connect', () => setMedia('connected'));
    p.on('close', () => { if (peer.current === p) setMedia('lost'); });
    p.on('error', () => { if (peer.current === p) setMedia('lost'); });
    peer.current = p;
  }, [api, appointmentId, setMedia]);

  useEffect(() => {
    const off = api.on('visit.update', (e) => {
      if (e.appointmentId !== appointmentId) return;
      const u: VisitUpdate = e.update;
      switch (u.kind) {
        case 'patient':
          heard.current.presence = true;
          setPresent(u.present);
          // Only the signalling socket dropped (a cloud outage): the call itself goes on.
          if (!u.present && admitted.current && mediaNow.current !== 'connected') setMedia('lost');
          // Back after a drop that took the call with it: connect again, without a new admission.
          if (u.present && admitted.current && mediaNow.current !== 'connected') startPeer();
          return;
        case 'identity':
          heard.current.identity = true;
          setIdentity({ name: u.name, dateOfBirth: u.dateOfBirth, matches: u.matches });
          return;
        case 'signal':
          peer.current?.signal(u.data as unknown as SimplePeerType.SignalData);
          return;
        case 'chat':
          setChat((c) => [...c, { from: 'Patient', text: u.text }]);
          return;
        case 'left':
          setPresent(false);
          setMedia('lost');
          setChat((c) => [...c, { from: 'Chartroom', text: 'The patient left the visit.' }]);
          return;
        case 'connection':
          setConnection(u.state === 'connected' ? 'Connected to the clinic cloud.' : (u.message ?? 'The connection to the clinic cloud closed.'));
          return;
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
      peer.current?.destroy();
      local.current?.getTracks().forEach((t) => t.stop());
      void api.call('visits.leave', { appointmentId });
    };
  }, [api, run, appointmentId, startPeer, setMedia]);

  useEffect(() => {
    if (phase === 'in-call' && ownVideo.current) ownVideo.current.srcObject = local.current;
  }, [phase]);

  const admit = async () => {
    try {
      local.current = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch {
      return setConnection('Your camera or microphone could not be turned on; check that Chartroom may use them.');
    }
    if (!(await run(api.call('visits.admit', { appointmentId })))) return;
    admitted.current = true;
    setPhase('in-call');
    startPeer();
  };

  const toggle = (kind: 'audio' | 'video') => {
    const track = kind === 'audio' ? local.current?.getAudioTracks()[0] : local.current?.getVideoTracks()[0];
    if (!track) return;
    track.enabled = !track.enabled;
    if (kind === 'audio') setMuted(!track.enabled);
    else setCameraOff(!track.enabled);
  };

  const share = async () => {
    const camera = local.current?.getVideoTracks()[0];
    if (!peer.current || !camera || !local.current) return;
    if (sharing) {
      const screen = peer.current.streams[0]?.getVideoTracks().find((t) => t !== camera);
      if (screen) { peer.current.replaceTrack(screen, camera, local.current); screen.stop(); }
      return setSharing(false);
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null);
    const screen = display?.getVideoTracks()[0];
    if (!screen) return;
    peer.current.replaceTrack(camera, screen, local.current);
    screen.onended = () => { peer.current?.replaceTrack(screen, camera, local.current as MediaStream); setSharing(false); };
    setSharing(true);
  };

  const end = async () => {
    const r = await run(api.call('visits.end', { appointmentId, encounterId }));
    if (!r) return;
    peer.current?.destroy();
    local.current?.getTracks().forEach((t) => t.stop());
    setPhase('ended');
    const minutes = Math.floor(r.seconds / 60);
    setSummary(`Call ended. It lasted ${minutes} min ${r.seconds % 60} s; recorded on the encounter.`);
    onEnded();
  };

  const quality = media === 'connected' ? { color: 'teal', label: 'Video connected' } : media === 'connecting' ? { color: 'yellow', label: 'Connecting video…' } : media === 'lost' ? { color: 'red', label: 'Patient disconnected: waiting for them to come back' } : { color: 'gray', label: 'No video yet' };

  return (
    <Card withBorder component="section" aria-label="Video visit">
      <Stack gap="xs">
        <Title order={2} size="h4">Video visit</Title>
        <ErrorAlert error={error} />
        <Text size="sm" role="status">{connection}</Text>
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
            <Badge color={quality.color} variant="light" role="status">{quality.label}</Badge>
            {/* A live call has no caption file to give; the in-call chat is the text channel. */}
            {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
            <video ref={remoteVideo} autoPlay playsInline aria-label="Patient video" data-testid="patient-video" style={{ width: '100%', background: '#222', borderRadius: 6 }} />
            <video ref={ownVideo} autoPlay playsInline muted aria-label="Your camera" style={{ width: '35%', background: '#222', borderRadius: 6 }} />
            <Group gap="xs">
              <Button size="xs" variant="light" aria-pressed={muted} onClick={() => toggle('audio')}>{muted ? 'Unmute' : 'Mute'}</Button>
              <Button size="xs" variant="light" aria-pressed={cameraOff} onClick={() => toggle('video')}>{cameraOff ? 'Camera on' : 'Camera off'}</Button>
              <Button size="xs" variant="light" aria-pressed={sharing} onClick={() => void share()}>{sharing ? 'Stop sharing' : 'Share screen'}</Button>
              <Button size="xs" color="red" loading={pending} onClick={() => void end()}>End call</Button>
            </Group>
            <ul aria-label="Chat messages" role="log" style={{ margin: 0, paddingLeft: '1.2rem' }}>
              {chat.map((c, i) => <li key={i}><Text span fw={600}>{c.from}:</Text> {c.text}</li>)}
            </ul>
            <form aria-label="Chat with the patient" onSubmit={async (e) => {
              e.preventDefault();
              const t = text.trim();
              if (!t) return;
              if (await run(api.call('visits.chat', { appointmentId, text: t }))) { setChat((c) => [...c, { from: 'You', text: t }]); setText(''); }
            }}>
              <Group align="end" gap="xs">
                <TextInput label="Message to the patient" value={text} onChange={(e) => setText(e.currentTarget.value)} style={{ flex: 1 }} />
                <Button type="submit" variant="light">Send</Button>
              </Group>
            </form>
          </>
        )}
      </Stack>
    </Card>
  );
}
