import { useCallback, useRef, useState } from "react";

/**
 * Runs one action at a time: while one runs every other call is ignored, so a
 * double click can never submit twice. Errors land in `error` for display.
 */
export function useAction() {
  const running = useRef(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(async (label: string, action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(label);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      running.current = false;
      setBusy(null);
    }
  }, []);

  return { busy, error, setError, run };
}
