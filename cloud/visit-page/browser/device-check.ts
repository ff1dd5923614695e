// The patient's first step before a video visit: camera and microphone on with a self-view and a
// level meter (and a choice of device), the connection checked, then name and date of birth,
// sealed in the page to the clinic's per-visit key before anything is sent.
import { checkConnection } from './connection-check';
import { h } from './dom';
import { sealIdentity } from './visit-crypto';

export interface CheckStepOptions {
  readonly identityKey: string;
  readonly token: string;
  readonly iceServers: RTCIceServer[];
  /** Which clinic, and when. */
  readonly visitInfo: () => HTMLElement;
  readonly show: (...nodes: Node[]) => void;
  readonly isEnded: () => boolean;
  /** The patient's camera and microphone, each time they are turned on or changed. */
  readonly onStream: (stream: MediaStream) => void;
  /** The identity answer, sealed, and the chat key agreed with it. */
  readonly onJoin: (sealed: Awaited<ReturnType<typeof sealIdentity>>) => void;
}

export function checkStep({ identityKey, token, iceServers, visitInfo, show, isEnded, onStream, onJoin }: CheckStepOptions): void {
  const self = h('video', { autoplay: true, muted: true, playsInline: true, attrs: { 'aria-label': 'Your camera' } });
  const meter = h('meter', { min: 0, max: 1, value: 0, attrs: { 'aria-label': 'Microphone level' } });
  const result = h('p', { attrs: { role: 'status' } }, 'Your camera and microphone are not on yet.');
  const startButton = h('button', { type: 'button' }, 'Turn on camera and microphone');
  const name = h('input', { id: 'name', required: true, autocomplete: 'name' });
  const dob = h('input', { id: 'dob', type: 'date', required: true, attrs: { autocomplete: 'bday' } });
  const join = h('button', { type: 'submit', disabled: true }, 'Join the waiting room');
  const form = h('form', { attrs: { 'aria-label': 'Confirm who you are' } },
    h('p', {}, 'The clinic checks these against your appointment. They are sent encrypted to the clinic only.'),
    h('label', { htmlFor: 'name' }, 'Your full name'), name,
    h('label', { htmlFor: 'dob' }, 'Your date of birth'), dob,
    join);
  // Once on, the patient can pick another camera or microphone (a laptop's own or a plugged-in one).
  const cameraPick = h('select', { id: 'camera' });
  const microphonePick = h('select', { id: 'microphone' });
  const pickers = h('div', { hidden: true }, h('label', { htmlFor: 'camera' }, 'Camera'), cameraPick, h('label', { htmlFor: 'microphone' }, 'Microphone'), microphonePick);
  let meterIn: { context: AudioContext; analyser: AnalyserNode; source: MediaStreamAudioSourceNode | null } | null = null;
  const turnOn = async (video: MediaTrackConstraints | true, audio: MediaTrackConstraints | true): Promise<void> => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video, audio });
    } catch {
      result.textContent = 'The camera or microphone could not be turned on. Allow them for this page in your browser, then try again.';
      return;
    }
    onStream(stream);
    self.srcObject = stream;
    if (!meterIn) {
      const context = new AudioContext();
      meterIn = { context, analyser: context.createAnalyser(), source: null };
      const { analyser } = meterIn;
      const samples = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(samples);
        meter.value = Math.min(1, samples.reduce((m, x) => Math.max(m, Math.abs(x - 128)), 0) / 64);
        if (!isEnded()) requestAnimationFrame(tick);
      };
      tick();
    }
    meterIn.source?.disconnect();
    meterIn.source = meterIn.context.createMediaStreamSource(stream);
    meterIn.source.connect(meterIn.analyser);
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const fill = (pick: HTMLSelectElement, kind: MediaDeviceKind, track: MediaStreamTrack | undefined, name: string) => {
      const current = track?.getSettings().deviceId ?? '';
      pick.replaceChildren(...devices.filter((d) => d.kind === kind && d.deviceId)
        .map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `${name} ${i + 1}`)));
    };
    fill(cameraPick, 'videoinput', stream.getVideoTracks()[0], 'Camera');
    fill(microphonePick, 'audioinput', stream.getAudioTracks()[0], 'Microphone');
    pickers.hidden = false;
    result.textContent = 'Camera and microphone are on. You should see yourself, and the bar moves when you speak.';
    startButton.disabled = true;
    join.disabled = false;
  };
  startButton.onclick = () => void turnOn(true, true);
  cameraPick.onchange = microphonePick.onchange = () =>
    void turnOn({ deviceId: { exact: cameraPick.value } }, { deviceId: { exact: microphonePick.value } });
  form.onsubmit = async (e) => {
    e.preventDefault();
    join.disabled = true;
    onJoin(await sealIdentity(identityKey, { name: name.value.trim(), dateOfBirth: dob.value }));
  };
  const connection = h('p', { attrs: { 'data-testid': 'connection-check' } }, 'Connection: checking…');
  void checkConnection(token, iceServers).then((text) => { connection.textContent = `Connection: ${text}`; });
  show(h('h1', {}, 'Your video visit'), visitInfo(), h('h2', {}, '1. Check your camera, microphone and connection'), startButton, self, meter, pickers, result, connection,
    h('h2', {}, '2. Tell us who you are'), form);
}
