// Runs a contract call and tracks its pending state and last error for a form or page.
import { useCallback, useState } from 'react';
import type { AppError, Result } from '../../../shared/errors';

export function useCall() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = useCallback(async <T,>(p: Promise<Result<T>>): Promise<T | null> => {
    setPending(true);
    setError(null);
    try {
      const r = await p;
      if (!r.ok) {
        setError(r.error);
        return null;
      }
      return r.value;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}
