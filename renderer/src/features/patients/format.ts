// Display helpers for patient data (date-fns, local conventions).
import { format, parseISO } from 'date-fns';

export function formatDate(iso: string): string {
  return iso ? format(parseISO(iso), 'MMM d, yyyy') : '';
}

export function todayIso(): string {
  return format(new Date(), 'yyyy-MM-dd');
}
