// How appointment states read and look, in one place for the schedule and the queue.
import type { AppointmentStatus } from '../../../../shared/domain/scheduling';

export const statusLabel: Readonly<Record<AppointmentStatus, string>> = {
  scheduled: 'Scheduled',
  'checked-in': 'Checked in',
  roomed: 'Roomed',
  'with-provider': 'With provider',
  'checked-out': 'Checked out',
  cancelled: 'Cancelled',
  'no-show': 'No-show',
};

export const statusColor: Readonly<Record<AppointmentStatus, string>> = {
  scheduled: 'blue',
  'checked-in': 'cyan',
  roomed: 'grape',
  'with-provider': 'orange',
  'checked-out': 'green',
  cancelled: 'gray',
  'no-show': 'red',
};
