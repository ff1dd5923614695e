// Date arithmetic for schedules (date-fns), on clinic-local wall times.
import { addDays, format, parseISO, startOfWeek } from 'date-fns';

export const todayLocal = (): string => format(new Date(), 'yyyy-MM-dd');
export const shiftDays = (iso: string, days: number): string => format(addDays(parseISO(iso), days), 'yyyy-MM-dd');
export const weekOf = (iso: string): string[] => {
  const monday = startOfWeek(parseISO(iso), { weekStartsOn: 1 });
  return Array.from({ length: 7 }, (_, i) => format(addDays(monday, i), 'yyyy-MM-dd'));
};
export const dayLabel = (iso: string): string => format(parseISO(iso), 'EEE MMM d');
export const longDay = (iso: string): string => format(parseISO(iso), 'EEEE, MMMM d, yyyy');
export const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const fromMinutes = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
export const timeOf = (local: string): string => local.slice(11, 16);
export const clockTime = (isoInstant: string | null): string => (isoInstant ? format(new Date(isoInstant), 'HH:mm') : '');
