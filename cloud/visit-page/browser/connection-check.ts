// The patient page's connection check, before the visit: whether the clinic cloud answers (and
// how fast) and whether the browser finds ways to be reached with the clinic's STUN/TURN servers.

/**
 * Whether this network will carry the call: the clinic cloud answers (and how fast), and the
 * browser finds ways to be reached (ICE candidates with the clinic's STUN/TURN servers). No
 * candidate at all means a network that blocks calls; TURN configured but no relay candidate
 * means the clinic's relay is out of reach, which matters only if a direct path fails.
 */
export async function checkConnection(token: string, iceServers: RTCIceServer[]): Promise<string> {
  const started = performance.now();
  const reached = await fetch(`/v1/visit-links/${encodeURIComponent(token)}`, { cache: 'no-store' }).then((r) => r.ok, () => false);
  const ms = Math.round(performance.now() - started);
  if (!reached) return 'the clinic cannot be reached from this network. Check your internet connection.';
  const kinds = new Set<string>();
  try {
    const pc = new RTCPeerConnection({ iceServers });
    pc.createDataChannel('check');
    const gathered = new Promise<void>((resolve) => {
      pc.onicecandidate = (e) => {
        if (!e.candidate) return resolve();
        kinds.add(/ typ (\w+)/.exec(e.candidate.candidate)?.[1] ?? 'host');
      };
      setTimeout(resolve, 5000);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
    pc.close();
  } catch {
    return 'this browser cannot make video calls. Try a current Chrome, Edge, Firefox or Safari.';
  }
  if (kinds.size === 0) return 'this network may block video calls. If the call does not connect, try another network (for example your phone’s data).';
  const relay = iceServers.some((s) => [s.urls].flat().some((u) => u.startsWith('turn')));
  if (relay && !kinds.has('relay')) return `ready (the clinic answered in ${ms} ms), though the clinic’s relay is out of reach; a strict network may not connect.`;
  return `ready for the call (the clinic answered in ${ms} ms).`;
}
