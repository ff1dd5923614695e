// Times as the clinic writes them, one format everywhere (a clinic setting): wall-clock "HH:MM"
// and instants shown in either 24-hour or 12-hour form, and what a person types read back.
import type { TimeFormat } from './domain/settings';

const pad = (n: number) => String(n).padStart(2, '0');

/** "14:05" as the clinic writes it: "14:05" or "2:05 PM". */
export function clockText(hhmm: string, format: TimeFormat): string {
  const h = Number(hhmm.slice(0, 2));
  const m = hhmm.slice(3, 5);
  if (format === '24h') return `${pad(h)}:${m}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${m} ${h < 12 ? 'AM' : 'PM'}`;
}

/** An instant's local time of day, as the clinic writes times. */
export function instantClock(iso: string, format: TimeFormat): string {
  const d = new Date(iso);
  return clockText(`${pad(d.getHours())}:${pad(d.getMinutes())}`, format);
}

/**
 * What someone typed as a time, in either form, as "HH:MM"; null when it is not one. Accepts
 * 9, 9:30, 09:30, 930, 21:30, 9:30 pm, 9pm, 12:05 AM.
 */
export function parseClock(text: string): string | null {
  const m = /^\s*(\d{1,2})(?::?(\d{2}))?\s*([ap])?\.?\s*m?\.?\s*$/i.exec(text);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  const half = m[3]?.toLowerCase();
  if (min > 59) return null;
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'p' ? 12 : 0);
  } else if (h > 23) return null;
  return `${pad(h)}:${pad(min)}`;
}
