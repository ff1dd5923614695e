// 0005: video visits. One row per visit link: the random id the cloud knows the visit by, the
// random part of the patient's link, the per-visit key the patient's identity answer is
// encrypted to (private half; it syncs so the physician's workstation can read the answer), the
// link's window, and when the call started and ended; the encounter records the call too.
import type { Migration } from './migration';

export const migration0005: Migration = {
  version: 5,
  name: 'video-visits',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE video_visits (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointments (id),
        link_token TEXT NOT NULL,
        identity_key TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        started_at TEXT,
        ended_at TEXT
      );
      CREATE INDEX video_visits_appointment ON video_visits (appointment_id);
      ALTER TABLE encounters ADD COLUMN call_started_at TEXT;
      ALTER TABLE encounters ADD COLUMN call_ended_at TEXT;
      ALTER TABLE encounters ADD COLUMN call_seconds INTEGER;
    `);
  },
};
