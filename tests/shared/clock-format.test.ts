// One time format for the clinic: written in 24-hour or 12-hour form, and read back from what
// a person types in either form.
import { expect, it } from 'vitest';
import { clockText, parseClock } from '../../shared/clock-format';

it('writes a wall time in the clinic format', () => {
  expect(['00:05', '09:00', '12:00', '13:30', '23:55'].map((t) => clockText(t, '24h'))).toEqual(['00:05', '09:00', '12:00', '13:30', '23:55']);
  expect(['00:05', '09:00', '12:00', '13:30', '23:55'].map((t) => clockText(t, '12h'))).toEqual(['12:05 AM', '9:00 AM', '12:00 PM', '1:30 PM', '11:55 PM']);
});

it('reads what is typed in either form, and refuses what is not a time', () => {
  const typed = ['9', '9:30', '09:30', '930', '21:30', '9:30 pm', '9pm', '12:05 AM', '12 pm', '9:30 P.M.'];
  expect(typed.map(parseClock)).toEqual(['09:00', '09:30', '09:30', '09:30', '21:30', '21:30', '21:00', '00:05', '12:00', '21:30']);
  expect(['24:00', '9:60', '13 pm', 'noon', '', '7:5'].map(parseClock)).toEqual([null, null, null, null, null, null]);
});
