// 0012: the last restore drill from the clinic's cloud, beside the last one from a backup (0010),
// so the Security page shows both and warns when neither passed for 30 days.
import type { Migration } from './migration';

export const migration0012: Migration = {
  version: 12,
  name: 'cloud-drill',
  async up(tx) {
    await tx.exec('ALTER TABLE backup_schedule ADD COLUMN last_cloud_drill_report TEXT;');
  },
};
