/**
 * State whose latest value is readable at once through a ref. Key handlers must see the effect of the
 * previous key even when both keys arrive before React re-renders (fast typing, pasted text, a busy
 * machine); reading `ref.current` instead of the rendered value makes that hold.
 */
import { useCallback, useRef, useState } from 'react';

export function useRefState<T>(initial: T | (() => T)): [T, (next: T) => void, { readonly current: T }] {
  const [value, setValue] = useState<T>(initial);
  const ref = useRef<T>(value);
  const set = useCallback((next: T) => {
    ref.current = next;
    setValue(next);
  }, []);
  return [value, set, ref];
}
