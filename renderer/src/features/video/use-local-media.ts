// The physician's own camera and microphone in a call: turning them on, mute and camera off,
// another camera or microphone mid-call, and sharing the screen instead of the camera; the peer
// is handed each new track at once.
import { useCallback, useRef, useState } from 'react';

type Replace = (previous: MediaStreamTrack, next: MediaStreamTrack, stream: MediaStream) => boolean;

export function useLocalMedia(replaceTrack: Replace) {
  const local = useRef<MediaStream | null>(null);
  const screen = useRef<MediaStreamTrack | null>(null);
  const ownVideo = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [camera, setCamera] = useState<string | null>(null);
  const [microphone, setMicrophone] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Turns camera and microphone on; false when the browser or the user refused. */
  const turnOn = useCallback(async (): Promise<boolean> => {
    try {
      local.current = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch {
      return false;
    }
    setCamera(local.current.getVideoTracks()[0]?.getSettings().deviceId ?? null);
    setMicrophone(local.current.getAudioTracks()[0]?.getSettings().deviceId ?? null);
    return true;
  }, []);

  const showOwn = useCallback(() => {
    // A fresh stream object, so the preview follows a switched camera.
    if (ownVideo.current && local.current) ownVideo.current.srcObject = new MediaStream(local.current.getVideoTracks());
  }, []);

  /** Back to the camera after a screen share (the share's own "stop" button, or ours). */
  const stopSharing = useCallback(() => {
    const shared = screen.current;
    if (!shared) return;
    screen.current = null;
    setSharing(false);
    const cam = local.current?.getVideoTracks()[0];
    if (cam && local.current) replaceTrack(shared, cam, local.current);
    shared.stop();
  }, [replaceTrack]);

  /** A new connection starts from the camera: a screen share does not carry over. */
  const dropShare = useCallback(() => {
    if (!screen.current) return;
    screen.current.stop();
    screen.current = null;
    setSharing(false);
  }, []);

  const toggle = useCallback((kind: 'audio' | 'video') => {
    const track = kind === 'audio' ? local.current?.getAudioTracks()[0] : local.current?.getVideoTracks()[0];
    if (!track) return;
    track.enabled = !track.enabled;
    if (kind === 'audio') setMuted(!track.enabled);
    else setCameraOff(!track.enabled);
  }, []);

  /** Another camera or microphone, mid-call: the patient sees and hears the new one at once. */
  const switchDevice = useCallback(async (kind: 'audio' | 'video', deviceId: string) => {
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
      replaceTrack(old, fresh, stream);
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(fresh);
    if (kind === 'audio') setMicrophone(deviceId);
    else { setCamera(deviceId); showOwn(); }
  }, [replaceTrack, showOwn]);

  const share = useCallback(async () => {
    if (screen.current) return stopSharing();
    const cam = local.current?.getVideoTracks()[0];
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null);
    const shared = display?.getVideoTracks()[0];
    if (!shared || !cam || !local.current || !replaceTrack(cam, shared, local.current)) {
      shared?.stop();
      if (!display) setNotice('Screen sharing did not start.');
      return;
    }
    setNotice(null);
    shared.onended = stopSharing;
    screen.current = shared;
    setSharing(true);
  }, [replaceTrack, stopSharing]);

  /** Everything off: the call ended or the panel closed. */
  const release = useCallback(() => {
    screen.current?.stop();
    local.current?.getTracks().forEach((t) => t.stop());
  }, []);

  const stream = useCallback(() => local.current, []);

  return { turnOn, stream, ownVideo, showOwn, muted, cameraOff, sharing, camera, microphone, notice, toggle, switchDevice, share, dropShare, release };
}
