// Who is within a staged rollout: a workstation's place 0–99 for a version, from its device id
// (one per workstation, however many OS users sign in on it; electron-updater's own id is per
// OS user). The version salts it, so the same workstations are not always first. The cloud
// decides with it and the workstation's `isUserWithinRollout` agrees with it.

/** FNV-1a over the text, then murmur3's finaliser so nearby ids spread out. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The workstation's place for this version: 0–99. */
export const rolloutPlace = (deviceId: string, version: string): number => hash32(`chartroom-rollout/v1|${deviceId}|${version}`) % 100;

/** Whether a workstation is within `percent` (0–100) of the rollout of `version`. */
export const withinRollout = (deviceId: string, version: string, percent: number): boolean => rolloutPlace(deviceId, version) < percent;
