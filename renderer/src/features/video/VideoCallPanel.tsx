// The video call beside the visit note: who is waiting and whether their name and date of birth
// match the appointment, admitting them, the call (remote and own video), mute, camera off,
// switching camera or microphone, screen share, in-call chat, the connection's state and measured
// quality, starting a new connection when the old one drops (while the patient is there), and
// ending the call (which records its start, end and duration on the encounter). Signalling goes
// through the engine, media peer to peer.
import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type SimplePeerType from 'simple-peer';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { AppointmentId, EncounterId } from '../../../../shared/domain/ids';
import type { VisitUpdate } from '../../../../shared/domain/video';
import { assertNever } from '../../../../shared/errors';
import { describeQuality } from '../../../../shared/video/quality';
import type { SignalData } from '../../../../shared/video/wire';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { useConnectionQuality } from './use-connection-quality';
import { useMediaDevices } from './use-media-devices';

type Phase = 'joining' | 'waiting' | 'in-call' | 'ended' | 'unavailable';
type Media = 'none' | 'connecting' | 'connected' | 'unstable' | 'lost';

/** simple-peer keeps its RTCPeerConnection private; the quality indicator reads its statistics. */
const connectionOf = (p: SimplePeerType.Instance | null) => (p && !p.destroyed ? (p as unknown as { _pc: RTCPeerConnection })._pc : null);
/** How long an interrupted connection may try to recover by itself before a new one is started. */
const RECOVER_MS = 5000;

export function VideoCallPanel({ appointmentId, encounterId, onEnded }: { appointmentId: AppointmentId; encounterId: EncounterId; onEnded: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [phase, setPhase] = useState<Phase>('joining');
  const [present, setPresentState] = useState(false);
  const presentNow = useRef(false);
  const setPresent = useCallback((p: boolean) => { presentNow.current = p; setPresentState(p); }, []);
  const [identity, setIdentity] = useState<{ name: string; dateOfBirth: string; matches: boolean } | null>(null);
  const [connection, setConnection] = useState<string>('Connecting to the clinic cloud…');
  const [notice, setNotice] = useState<string | null>(null);
  const [media, setMediaState] = useState<Media>('none');
  const mediaNow = useRef<Media>('none');
  const setMedia = useCallback((m: Media) => { mediaNow.current = m; setMediaState(m); }, []);
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [camera, setCamera] = useState<string | null>(null);
  const [microphone, setMicrophone] = useState<string | null>(null);
  const [chat, setChat] = useState<{ from: string; text: string }[]>([]);
  const [text, setText] = useState('');
  const [summary, setSummary] = useState<string | null>(null);
  const local = useRef<MediaStream | null>(null);
  const screen = useRef<MediaStreamTrack | null>(null);
  const peer = useRef<SimplePeerType.Instance | null>(null);
  /**
   * The number of the current connection attempt; signals of an older one are dropped. It starts
   * at random, so a panel opened again does not take answers meant for its predecessor.
   */
  const callNo = useRef(0);
  const retry = useRef<{ timer: ReturnType<typeof setTimeout> | null; delay: number }>({ timer: null, delay: 1000 });
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const ownVideo = useRef<HTMLVideoElement>(null);
  const admitted = useRef(false);
  const ice = useRef<RTCIceServer[]>([]);
  // Events can overtake the answer to visits.join; what they said is newer and wins.
  const heard = useRef({ presence: false, identity: false });
  const devices = useMediaDevices(phase === 'in-call');
  const quality = useConnectionQuality(useCallback(() => connectionOf(peer.current), []), phase === 'in-call' && media === 'connected');

  const cancelRetry = useCallback(() => {
    if (retry.current.timer) clearTimeout(retry.current.timer);
    retry.current.timer = null;
  }, []);

  /** Back to the camera after a screen share (the share's own "stop" button, or ours). */
  const stopSharing = useCallback(() => {
    const shared = screen.current;
    if (!shared) return;
    screen.current = null;
    setSharing(false);
    const cam = local.current?.getVideoTracks()[0];
    const p = peer.current;
    if (p && !p.destroyed && cam && local.current) p.replaceTrack(shared, cam, local.current);
    shared.stop();
  }, []);

  /** startPeer, for the peer's own callbacks (a dropped connection starts the next one). */
  const restart = useRef<() => void>(() => undefined);
  /** A new connection, started from this side (after admitting, and again after a drop). */
  const startPeer = useCallback(() => {
    // Only while the patient is still there (otherwise their return starts the connection).
    const startAgain = () => { if (admitted.current && presentNow.current) restart.current(); };
    cancelRetry();
    // A new peer starts from the camera: a screen share does not carry over.
    if (screen.current) { screen.current.stop(); screen.current = null; setSharing(false); }
    peer.current?.destroy();
    setMedia('connecting');
    const call = (callNo.current = callNo.current === 0 ? Math.floor(Math.random() * 100_000) + 1 : callNo.current + 1);
    const p = new SimplePeer({ initiator: true, stream: local.current ?? undefined, trickle: true, config: { iceServers: ice.current } });
    const mine = () => peer.current === p;
    p.on('signal', (data) => void api.call('visits.signal', { appointmentId, call, data: data as SignalData }));
    p.on('stream', (s: MediaStream) => { if (remoteVideo.current) remoteVideo.current.srcObject = s; });
    p.on('connect', () => { if (mine()) { retry.current.delay = 1000; setMedia('connected'); } });
    p.on('iceStateChange', (state: RTCIceConnectionState) => {
      if (!mine()) return;
      if ((state === 'connected' || state === 'completed') && mediaNow.current === 'unstable') { cancelRetry(); setMedia('connected'); }
      if (state === 'disconnected' && mediaNow.current === 'connected') {
        // Often a moment's loss of network: give it a few seconds, then start afresh.
        setMedia('unstable');
        cancelRetry();
        retry.current.timer = setTimeout(() => { retry.current.timer = null; if (mine() && mediaNow.current === 'unstable') startAgain(); }, RECOVER_MS);
      }
    });
    const dropped = () => {
      if (!mine()) return;
      setMedia('lost');
      // No frozen last picture: the panel says what happened instead.
      if (remoteVideo.current) remoteVideo.current.srcObject = null;
      if (!retry.current.timer) {
        const delay = retry.current.delay;
        retry.current.delay = Math.min(delay * 2, 8000);
        retry.current.timer = setTimeout(() => { retry.current.timer = null; if (mine()) startAgain(); }, delay);
      }
    };
    p.on('close', dropped);
    p.on('error', dropped);
    peer.current = p;
  }, [api, appointmentId, setMedia, cancelRetry]);
  useEffect(() => { restart.current = startPeer; }, [startPeer]);

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
          // (Only from "lost": the service may say "present" again, e.g. when another workstation joins.)
          if (u.present && admitted.current && mediaNow.current === 'lost') startPeer();
          return;
        case 'identity':
          heard.current.identity = true;
          setIdentity({ name: u.name, dateOfBirth: u.dateOfBirth, matches: u.matches });
          return;
        case 'signal':
          if (u.call === callNo.current) peer.current?.signal(u.data as unknown as SimplePeerType.SignalData);
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
      cancelRetry();
      peer.current?.destroy();
      screen.current?.stop();
      local.current?.getTracks().forEach((t) => t.stop());
      void api.call('visits.leave', { appointmentId });
    };
  }, [api, run, appointmentId, startPeer, setMedia, setPresent, cancelRetry]);

  const showOwn = useCallback(() => {
    // A fresh stream object, so the preview follows a switched camera.
    if (ownVideo.current && local.current) ownVideo.current.srcObject = new MediaStream(local.current.getVideoTracks());
  }, []);
  useEffect(() => { if (phase === 'in-call') showOwn(); }, [phase, showOwn]);

  const admit = async () => {
    try {
      local.current = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch {
      return setConnection('Your camera or microphone could not be turned on; check that Chartroom may use them.');
    }
    setCamera(local.current.getVideoTracks()[0]?.getSettings().deviceId ?? null);
    setMicrophone(local.current.getAudioTracks()[0]?.getSettings().deviceId ?? null);
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

  /** Another camera or microphone, mid-call: the patient sees and hears the new one at once. */
  const switchDevice = async (kind: 'audio' | 'video', deviceId: string) => {
    const stream = local.current;
    if (!stream) return;
    const constraints = { deviceId: { exact: deviceId } };
    const fresh = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: constraints } : { video: constraints })
      .then((s) => (kind === 'audio' ? s.getAudioTracks()[0] : s.getVideoTracks()[0]), () => undefined);
    if (!fresh) return setNotice(`That ${kind === 'audio' ? 'microphone' : 'camera'} could not be turned on; the call goes on with the one before.`);
    setNotice(null);
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (old) {
      fresh.enabled = old.enabled;
      const p = peer.current;
      if (p && !p.destroyed) p.replaceTrack(old, fresh, stream);
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(fresh);
    if (kind === 'audio') setMicrophone(deviceId);
    else { setCamera(deviceId); showOwn(); }
  };

  const share = async () => {
    if (screen.current) return stopSharing();
    const cam = local.current?.getVideoTracks()[0];
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null);
    const shared = display?.getVideoTracks()[0];
    const p = peer.current;
    if (!shared || !cam || !local.current || !p || p.destroyed) {
      shared?.stop();
      if (!display) setNotice('Screen sharing did not start.');
      return;
    }
    setNotice(null);
    p.replaceTrack(cam, shared, local.current);
    shared.onended = stopSharing;
    screen.current = shared;
    setSharing(true);
  };

  const end = async () => {
    const r = await run(api.call('visits.end', { appointmentId, encounterId }));
    if (!r) return;
    cancelRetry();
    admitted.current = false;
    peer.current?.destroy();
    screen.current?.stop();
    local.current?.getTracks().forEach((t) => t.stop());
    setPhase('ended');
    const minutes = Math.floor(r.seconds / 60);
    setSummary(`Call ended. It lasted ${minutes} min ${r.seconds % 60} s; recorded on the encounter.`);
    onEnded();
  };

  const state = media === 'connected' ? { color: 'teal', label: 'Video connected' }
    : media === 'connecting' ? { color: 'yellow', label: 'Connecting video…' }
      : media === 'unstable' ? { color: 'orange', label: 'Connection interrupted: trying to recover…' }
        : media === 'lost' ? (present ? { color: 'red', label: 'The video connection dropped: reconnecting…' } : { color: 'red', label: 'Patient disconnected: waiting for them to come back' })
          : { color: 'gray', label: 'No video yet' };
  const qualityColor = quality ? ({ good: 'teal', fair: 'yellow', poor: 'red' } as const)[quality.level] : 'gray';

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
            <Group gap="xs">
              <Badge color={state.color} variant="light" role="status">{state.label}</Badge>
              {media === 'connected' && (
                <Text size="sm" c={qualityColor} role="status" aria-label="Connection quality">
                  {quality ? `${quality.label} (${describeQuality(quality)})` : 'Measuring the connection…'}
                </Text>
              )}
            </Group>
            {notice && <Alert color="orange">{notice}</Alert>}
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
            <Group gap="xs" grow>
              <NativeSelect size="xs" label="Camera" value={camera ?? ''} disabled={sharing} data={devices.cameras.map((d) => ({ value: d.deviceId, label: d.label }))}
                onChange={(e) => void switchDevice('video', e.currentTarget.value)} />
              <NativeSelect size="xs" label="Microphone" value={microphone ?? ''} data={devices.microphones.map((d) => ({ value: d.deviceId, label: d.label }))}
                onChange={(e) => void switchDevice('audio', e.currentTarget.value)} />
            </Group>
            {/* The log is a wrapper: on the list itself, role="log" would take away its list semantics. */}
            <div role="log" aria-label="Chat messages">
              <ul style={{ margin: 0, paddingLeft: '1.2rem' }}>
                {chat.map((c, i) => <li key={i}><Text span fw={600}>{c.from}:</Text> {c.text}</li>)}
              </ul>
            </div>
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
