// The latest value of a prop or state, for callbacks made earlier (a peer's events) that must
// act on what is true now rather than on what was true when they were made.
import { useRef } from 'react';

export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
