// The call's peer connection on the workstation's side: it starts each connection (simple-peer,
// numbered so stale signals are dropped), follows its state through shared/video/recovery (a
// new connection when one drops, while the patient is there), shows the patient's video and
// never a frozen last picture.
import { useCallback, useEffect, useRef, useState } from 'react';
import type SimplePeerType from 'simple-peer';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { AppointmentId } from '../../../../shared/domain/ids';
import { CallRecovery, type MediaState } from '../../../../shared/video/recovery';
import type { SignalData } from '../../../../shared/video/wire';
import { useApi } from '../../lib/api';
import { useLatest } from './use-latest';

/** simple-peer keeps its RTCPeerConnection private; the quality indicator reads its statistics. */
export const connectionOf = (p: SimplePeerType.Instance | null) => (p && !p.destroyed ? (p as unknown as { _pc: RTCPeerConnection })._pc : null);

export interface CallPeerOptions {
  readonly appointmentId: AppointmentId;
  /** Whether a dropped connection should be started again now (admitted, and the patient there). */
  readonly mayRestart: () => boolean;
  /** What the new connection sends (the camera and microphone). */
  readonly localStream: () => MediaStream | null;
  readonly iceServers: () => RTCIceServer[];
  /** A new connection is about to start (a screen share does not carry over). */
  readonly beforeStart: () => void;
}

export function useCallPeer(o: CallPeerOptions) {
  const api = useApi();
  const [media, setMedia] = useState<MediaState>('none');
  const peer = useRef<SimplePeerType.Instance | null>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  /**
   * The number of the current connection attempt; signals of an older one are dropped. It starts
   * at random, so a panel opened again does not take answers meant for its predecessor.
   */
  const callNo = useRef(0);
  const options = useLatest(o);
  const recovery = useRef<CallRecovery | null>(null);

  const start = useCallback(() => {
    const { appointmentId, localStream, iceServers, beforeStart } = options.current;
    const r = recovery.current;
    if (!r) return;
    beforeStart();
    peer.current?.destroy();
    r.starting();
    const call = (callNo.current = callNo.current === 0 ? Math.floor(Math.random() * 100_000) + 1 : callNo.current + 1);
    const p = new SimplePeer({ initiator: true, stream: localStream() ?? undefined, trickle: true, config: { iceServers: iceServers() } });
    const mine = () => peer.current === p;
    p.on('signal', (data) => void api.call('visits.signal', { appointmentId, call, data: data as SignalData }));
    p.on('stream', (s: MediaStream) => { if (remoteVideo.current) remoteVideo.current.srcObject = s; });
    p.on('connect', () => { if (mine()) r.connected(); });
    p.on('iceStateChange', (state: RTCIceConnectionState) => { if (mine()) r.ice(state); });
    const dropped = () => {
      if (!mine()) return;
      // No frozen last picture: the panel says what happened instead.
      if (remoteVideo.current) remoteVideo.current.srcObject = null;
      r.dropped();
    };
    p.on('close', dropped);
    p.on('error', dropped);
    peer.current = p;
  }, [api, options]);

  useEffect(() => {
    const r = new CallRecovery({ onChange: setMedia, restart: () => { if (options.current.mayRestart()) start(); } });
    recovery.current = r;
    return () => {
      r.stop();
      peer.current?.destroy();
      peer.current = null;
    };
  }, [start, options]);

  /** A signal from the patient's page for connection `call` (older ones are dropped). */
  const signal = useCallback((call: number, data: unknown) => {
    if (call === callNo.current) peer.current?.signal(data as SimplePeerType.SignalData);
  }, []);

  /** Lost for a reason outside the connection (the patient left or their socket dropped). */
  const lost = useCallback(() => recovery.current?.lost(), []);

  const stop = useCallback(() => {
    recovery.current?.stop();
    peer.current?.destroy();
  }, []);

  /** Sends `next` instead of `previous` on the live connection (another camera, a screen share). */
  const replaceTrack = useCallback((previous: MediaStreamTrack, next: MediaStreamTrack, stream: MediaStream) => {
    const p = peer.current;
    if (!p || p.destroyed) return false;
    p.replaceTrack(previous, next, stream);
    return true;
  }, []);

  const connection = useCallback(() => connectionOf(peer.current), []);
  /** The media state right now (the rendered `media` may be a moment behind). */
  const mediaNow = useCallback((): MediaState => recovery.current?.state ?? 'none', []);

  return { media, mediaNow, remoteVideo, start, stop, signal, lost, replaceTrack, connection };
}
