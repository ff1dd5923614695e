// The clinic's time format (a clinic setting) for every screen: useClock() writes wall times and
// instants the one way the clinic chose, so dialogs, grids and the audit log agree.
import { format as formatDate } from 'date-fns';
import { createContext, useContext } from 'react';
import { clockText, instantClock } from '../../../shared/clock-format';
import type { TimeFormat } from '../../../shared/domain/settings';

export const ClockFormatContext = createContext<TimeFormat>('24h');

export function useClock() {
  const format = useContext(ClockFormatContext);
  return {
    format,
    /** "14:05" (a wall time, as appointments keep them) in the clinic's format. */
    time: (hhmm: string) => clockText(hhmm, format),
    /** An instant's local time of day. */
    at: (iso: string | null) => (iso ? instantClock(iso, format) : ''),
    /** "Jun 5, 2030 14:05". */
    dateTime: (iso: string) => `${formatDate(new Date(iso), 'MMM d, yyyy')} ${instantClock(iso, format)}`,
    /** "Jun 5 14:05". */
    shortDateTime: (iso: string) => `${formatDate(new Date(iso), 'MMM d')} ${instantClock(iso, format)}`,
  };
}
