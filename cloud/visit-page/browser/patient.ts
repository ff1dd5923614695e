// The patient's page for a video visit, in the patient's own browser (no login, no install):
// checks the link, runs the device and connection check and takes name and date of birth
// (device-check.ts; the answer is encrypted in the page to the clinic's per-visit key, so the
// cloud never sees it), waits in the waiting room, then holds the call: remote video, mute,
// camera off, chat, the measured connection quality, and reconnection without starting over (a
// plain message, never a frozen picture, while it reconnects). Plain DOM; simple-peer comes from
// its own prebuilt bundle (window.SimplePeer).
import type SimplePeerType from 'simple-peer';
import { describeQuality, QUALITY_INTERVAL_MS, qualityMeter } from '../../../shared/video/quality';
import { CallRecovery, reconnectDelay } from '../../../shared/video/recovery';
import { checkStep } from './device-check';
import { h } from './dom';
import { b64url, openChat, sealChat } from './visit-crypto';

declare global {
  interface Window { SimplePeer: typeof SimplePeerType }
}

type Incoming =
  | { type: 'clinic'; ready: boolean; admitted: boolean }
  | { type: 'admitted' }
  | { type: 'signal'; call: number; data: SimplePeerType.SignalData }
  | { type: 'chat'; iv: string; ciphertext: string }
  | { type: 'camera'; on: boolean }
  | { type: 'refused' | 'error'; message: string };

const app = document.getElementById('app') as HTMLElement;
const token = decodeURIComponent(location.pathname.split('/v/')[1] ?? '');

/**
 * This page's seat: random, kept by the tab (a reload keeps it, another tab or browser does not),
 * so the service lets this page back in after a drop even before it noticed the old socket gone.
 */
const seat = (() => {
  const key = `chartroom-visit-seat/${token}`;
  try {
    const kept = sessionStorage.getItem(key);
    if (kept && /^[A-Za-z0-9_-]{22}$/.test(kept)) return kept;
  } catch {
    // Storage blocked: a seat for this page load only.
  }
  const fresh = b64url(crypto.getRandomValues(new Uint8Array(16)));
  try { sessionStorage.setItem(key, fresh); } catch { /* as above */ }
  return fresh;
})();
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/visit-links/${encodeURIComponent(token)}/socket?seat=${seat}`;

const show = (...nodes: Node[]) => app.replaceChildren(...nodes);
const stop = (title: string, message: string) => {
  localStream?.getTracks().forEach((t) => t.stop());
  show(h('h1', {}, title), h('p', { attrs: { role: 'alert' } }, message));
};

let localStream: MediaStream | null = null;
/** The clinic's STUN/TURN servers for this visit (with TURN credentials that expire). */
let iceServers: RTCIceServer[] = [];
let socket: WebSocket | null = null;
let peer: SimplePeerType.Instance | null = null;
/** The clinic's connection attempt this page answers; signals of older attempts are dropped. */
let call = 0;
/** Tells the patient plainly if the video does not come back after a drop. */
let admitted = false;
/** Agreed with the clinic's visit key along with the identity answer; the chat is sealed with it. */
let chatKey: CryptoKey | null = null;
let ended = false;
const status = h('p', { attrs: { role: 'status' } });
/** The media connection's state, told to the patient (shared/video/recovery; the clinic starts new connections). */
const recovery = new CallRecovery({
  onChange: (state) => {
    if (ended) return;
    if (state === 'connected') status.textContent = 'Connected.';
    else if (state === 'unstable') status.textContent = 'The connection is unstable. Trying to recover…';
    else if (state === 'lost') status.textContent = 'The video connection dropped. Reconnecting…';
  },
  stuckMs: 20_000,
  onStuck: () => { if (!ended) status.textContent = 'The video has not come back yet. If it stays like this, leave the visit and open the link again.'; },
});
const chatLog = h('ul');
/** The log wraps the list: on the list itself, role=log would take away its list semantics. */
const chatBox = h('div', { attrs: { role: 'log', 'aria-label': 'Chat messages', tabindex: '0' } }, chatLog);
const remote = h('video', { autoplay: true, playsInline: true, attrs: { 'aria-label': 'The clinic', 'data-testid': 'remote-video' } });
/** Over the clinic's picture while the physician's camera is off (a black picture would look like a fault). */
const cameraOff = h('p', { hidden: true, className: 'camera-off', attrs: { role: 'status', 'data-testid': 'clinic-camera' } }, 'The physician has turned their camera off. You can still hear each other.');
/** Which clinic, and when: shown on every step, so the patient knows they are in the right place. */
let visitLine = '';

async function start(): Promise<void> {
  const res = await fetch(`/v1/visit-links/${encodeURIComponent(token)}`).catch(() => null);
  const body = (await res?.json().catch(() => null)) as {
    ok: boolean;
    value?: { state: string; message: string | null; identityKey: string | null; iceServers: RTCIceServer[]; clinicName: string; appointmentAt: string };
    error?: { message: string };
  } | null;
  if (!body?.ok || !body.value) return stop('This link cannot be used', body?.error?.message ?? 'The clinic cannot be reached. Check your connection and open the link again.');
  if (body.value.state !== 'open' || !body.value.identityKey) return stop('This link cannot be used', body.value.message ?? 'This visit link cannot be used.');
  iceServers = body.value.iceServers;
  const at = new Date(body.value.appointmentAt);
  // In the patient's own time zone and language, as their browser shows dates.
  const when = `${at.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' })} at ${at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}`;
  visitLine = `${body.value.clinicName ? `With ${body.value.clinicName}, ` : ''}${when}`;
  checkStep({
    identityKey: body.value.identityKey,
    token,
    iceServers,
    visitInfo,
    show,
    isEnded: () => ended,
    onStream: (stream) => {
      localStream?.getTracks().forEach((t) => t.stop());
      localStream = stream;
    },
    onJoin: (sealed) => {
      chatKey = sealed.chatKey;
      connect(sealed.answer);
    },
  });
}

function visitInfo(): HTMLElement {
  return h('p', { className: 'visit-info', attrs: { 'data-testid': 'visit-info' } }, visitLine);
}

/** A chat line, with the newest kept in view. */
function addChat(text: string): void {
  chatLog.append(h('li', {}, text));
  chatBox.scrollTop = chatBox.scrollHeight;
}

function send(m: unknown): boolean {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(m));
  return true;
}

function connect(identity: unknown, attempt = 0): void {
  const ws = new WebSocket(wsUrl);
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    if (admitted) {
      status.textContent = 'Reconnected.';
      return;
    }
    send(identity);
    waitingStep();
  };
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as Incoming;
    switch (m.type) {
      case 'clinic':
        if (m.admitted && !admitted) return callStep();
        if (!admitted) status.textContent = m.ready ? 'The clinic is online. Your physician will let you in shortly.' : 'The clinic is not online yet. Please keep this page open.';
        else status.textContent = m.ready ? 'Reconnected.' : 'Reconnecting to the clinic… Please stay on this page.';
        return;
      case 'admitted':
        return callStep();
      case 'signal':
        // A fresh offer means the clinic started the connection again: answer with a fresh peer.
        if ((m.data as { type?: string }).type === 'offer') {
          call = m.call;
          if (peer && !peer.destroyed) peer.destroy();
        } else if (m.call !== call) return;
        return void peerFor().signal(m.data);
      case 'chat':
        void openChat(chatKey, m).then((text) => { if (text !== null) addChat(`Clinic: ${text}`); });
        return;
      case 'camera':
        cameraOff.hidden = m.on;
        return;
      case 'refused':
        ended = true;
        return stop(admitted ? 'The visit has ended' : 'This link cannot be used', m.message);
      case 'error':
        status.textContent = m.message;
        return;
    }
  };
  ws.onclose = () => {
    if (ended || socket !== ws) return;
    // Dropped, not refused: try again without starting over.
    status.textContent = 'Connection lost. Reconnecting…';
    setTimeout(() => connect(identity, attempt + 1), reconnectDelay(attempt));
  };
}

function waitingStep(): void {
  status.textContent = 'Connecting to the clinic…';
  show(h('h1', {}, 'Waiting room'), visitInfo(), h('p', {}, 'Please wait here. Your physician will let you in.'), status);
}

/** The peer for this call; a new one whenever the clinic starts the connection again. */
function peerFor(): SimplePeerType.Instance {
  if (peer && !peer.destroyed) return peer;
  const p = new window.SimplePeer({ initiator: false, stream: localStream ?? undefined, trickle: true, config: { iceServers } });
  const mine = () => peer === p && !ended;
  const lost = () => {
    if (!mine()) return;
    // No frozen last picture: the page says what happened instead.
    remote.srcObject = null;
    recovery.dropped();
  };
  const thisCall = call;
  p.on('signal', (data) => send({ type: 'signal', call: thisCall, data }));
  p.on('stream', (s: MediaStream) => {
    remote.srcObject = s;
    if (mine()) recovery.connected();
    // The clinic's tracks end when the connection under them closes, even unannounced.
    for (const t of s.getTracks()) t.addEventListener('ended', lost);
  });
  p.on('connect', () => { if (mine()) recovery.connected(); });
  p.on('iceStateChange', (state: RTCIceConnectionState) => { if (mine()) recovery.ice(state); });
  p.on('close', lost);
  p.on('error', lost);
  peer = p;
  return p;
}

/** The connection's measured quality, every two seconds while connected (shared/video/quality). */
function watchQuality(line: HTMLElement): void {
  const measure = qualityMeter<RTCPeerConnection>();
  const timer = setInterval(() => {
    if (ended) return clearInterval(timer);
    const pc = peer && !peer.destroyed ? (peer as unknown as { _pc: RTCPeerConnection })._pc : null;
    if (!pc || pc.connectionState !== 'connected') {
      line.textContent = '';
      return;
    }
    void measure(pc).then((q) => { if (q) line.textContent = `${q.label} (${describeQuality(q)})`; }, () => undefined);
  }, QUALITY_INTERVAL_MS);
}

function callStep(): void {
  admitted = true;
  status.textContent = 'The physician let you in. Connecting video…';
  const self = h('video', { autoplay: true, muted: true, playsInline: true, attrs: { 'aria-label': 'Your camera' } });
  self.srcObject = localStream;
  /** A button that turns one of the patient's own tracks off and on again. */
  const toggle = (kind: 'audio' | 'video', on: string, off: string) => {
    const b = h('button', { type: 'button', attrs: { 'aria-pressed': 'false' } }, on);
    b.onclick = () => {
      const track = kind === 'audio' ? localStream?.getAudioTracks()[0] : localStream?.getVideoTracks()[0];
      if (!track) return;
      track.enabled = !track.enabled;
      b.textContent = track.enabled ? on : off;
      b.setAttribute('aria-pressed', String(!track.enabled));
    };
    return b;
  };
  const mute = toggle('audio', 'Mute', 'Unmute');
  const camera = toggle('video', 'Turn camera off', 'Turn camera on');
  const leave = h('button', { type: 'button' }, 'Leave the visit');
  leave.onclick = () => {
    ended = true;
    send({ type: 'leave' });
    peer?.destroy();
    socket?.close();
    stop('You left the visit', 'You can close this page. To come back, open the link again while the visit is on.');
  };
  const text = h('input', { id: 'chat-text', autocomplete: 'off', maxLength: 2000 });
  const chat = h('form', { attrs: { 'aria-label': 'Chat with the clinic' } }, h('label', { htmlFor: 'chat-text' }, 'Message'), text, h('button', { type: 'submit' }, 'Send'));
  chat.onsubmit = (e) => {
    e.preventDefault();
    const t = text.value.trim();
    if (!t) return;
    text.value = '';
    void sealChat(chatKey, t).then((sealed) => {
      if (sealed && send(sealed)) return void addChat(`You: ${t}`);
      // Not lost: the message stays in the box to send again once the page is reconnected.
      text.value = t;
      status.textContent = 'Your message was not sent: the page is reconnecting. Send it again in a moment.';
    });
  };
  const quality = h('p', { attrs: { 'data-testid': 'connection-quality' } });
  watchQuality(quality);
  // The call fits the screen (a phone too): the pictures take what is left after the controls,
  // and the chat shows its newest lines in a short log, so nothing needed scrolls out of view.
  const stage = h('div', { className: 'stage' }, remote, cameraOff, self);
  const controls = h('div', { className: 'controls' }, mute, camera, leave);
  show(h('div', { className: 'call' }, h('h1', {}, 'Your video visit'), visitInfo(), status, quality, stage, controls, chatBox, chat));
}

void start();
