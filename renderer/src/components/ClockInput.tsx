// A time field in the clinic's format: shows "14:30" or "2:30 PM" as the clinic chose, takes a
// time typed either way (9:30, 930, 2:30 pm), and hands the form "HH:MM". The browser's own time
// field would show the browser's format instead of the clinic's.
import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { parseClock } from '../../../shared/clock-format';
import { useClock } from '../lib/clock-context';

export function ClockInput({ value, onChange, ...rest }: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (hhmm: string) => void }) {
  const clock = useClock();
  const [text, setText] = useState(value ? clock.time(value) : '');
  const [wrong, setWrong] = useState(false);
  // A value set from outside (a new draft) shows in the clinic's format.
  useEffect(() => {
    if (parseClock(text) !== value) setText(value ? clock.time(value) : '');
  }, [value, clock.format]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <TextInput
      {...rest}
      value={text}
      inputMode="text"
      placeholder={clock.format === '12h' ? '9:30 AM' : '09:30'}
      error={wrong ? 'Type a time, like 9:30 or 14:30' : rest.error}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        const parsed = parseClock(t);
        setWrong(t.trim() !== '' && parsed === null);
        if (parsed) onChange(parsed);
      }}
      onBlur={() => { const parsed = parseClock(text); if (parsed) setText(clock.time(parsed)); }}
    />
  );
}
