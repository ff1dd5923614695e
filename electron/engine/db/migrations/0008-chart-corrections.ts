// 0008: corrections as a chart keeps them. A vitals set or lab result entered in error stays in
// the record with who marked it, when and why; an allergy or medication made inactive keeps its
// reason; a medication given despite an allergy alert keeps the override (what was alerted, who
// acknowledged it, why) on its own row, where the chart shows it.
import type { Migration } from './migration';

export const migration0008: Migration = {
  version: 8,
  name: 'chart-corrections',
  async up(tx) {
    await tx.exec(`
      ALTER TABLE vitals ADD COLUMN error_reason TEXT;
      ALTER TABLE vitals ADD COLUMN error_by TEXT;
      ALTER TABLE vitals ADD COLUMN error_at TEXT;
      ALTER TABLE lab_results ADD COLUMN error_reason TEXT;
      ALTER TABLE lab_results ADD COLUMN error_by TEXT;
      ALTER TABLE lab_results ADD COLUMN error_at TEXT;
      ALTER TABLE allergies ADD COLUMN inactive_reason TEXT;
      ALTER TABLE allergies ADD COLUMN inactive_by TEXT;
      ALTER TABLE allergies ADD COLUMN inactive_at TEXT;
      ALTER TABLE medications ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
      ALTER TABLE medications ADD COLUMN inactive_reason TEXT;
      ALTER TABLE medications ADD COLUMN inactive_by TEXT;
      ALTER TABLE medications ADD COLUMN inactive_at TEXT;
      ALTER TABLE medications ADD COLUMN allergy_override TEXT;
    `);
  },
};
