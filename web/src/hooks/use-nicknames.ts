/** Nicknames of players known only by id (battles carry ids), fetched once each through the gate. */
import { useEffect, useRef, useState } from 'react';
import { useGame } from '../game-context';

export function useNicknames(ids: readonly string[]): ReadonlyMap<string, string> {
  const { battles, gate } = useGame();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const asked = useRef(new Set<string>());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    for (const id of new Set(ids)) {
      if (asked.current.has(id)) continue;
      asked.current.add(id);
      void (async () => {
        const outcome = await gate.run(() => battles.player(id));
        if (outcome.ok) setNames((map) => new Map(map).set(id, outcome.value.nickname));
      })();
    }
  }, [key]);
  return names;
}
