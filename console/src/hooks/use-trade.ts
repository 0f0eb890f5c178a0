/**
 * A buy or a sell as the shop and the inventory screens run it: one trade at a time (keys wait while it is
 * in flight), the "…ing" notice, the request through the gate, and the outcome decided in packages/game
 * (buyOutcome, sellOutcome) applied to the screen — the notice, the pilot's figures, the list.
 */
import type { Outcome, TradeFigures, TradeUpdate } from '@metagameplay/game';
import type { Notice } from '../components/frame';
import { useGame } from '../game-context';
import type { ListBrowser } from './use-list-browser';
import { useRefState } from './use-ref-state';

export interface TradeScreen<T, R> {
  /** The notice while the request is in flight. */
  pending: string;
  send(item: T): Promise<R>;
  outcome(item: T, player: TradeFigures | null, answer: Outcome<R>): TradeUpdate;
  setNotice(notice: Notice): void;
  list: Pick<ListBrowser<T>, 'update' | 'reload'>;
  /** Marks an item owned (the shop); the inventory lists owned items only. */
  markOwned?(item: T): void;
}

export function useTrade<T extends { id: number }, R>(
  screen: TradeScreen<T, R>,
): { busy(): boolean; run(item: T): Promise<void> } {
  const game = useGame();
  const [, setBusy, busyRef] = useRefState(false);
  return {
    busy: () => busyRef.current,
    async run(item) {
      setBusy(true);
      screen.setNotice({ text: screen.pending, tone: 'info' });
      const answer = await game.gate.run(() => screen.send(item));
      setBusy(false);
      if (!answer.ok && answer.handled) return;
      const next = screen.outcome(item, game.session?.player ?? null, answer);
      screen.setNotice(next.notice);
      if (next.player) game.updatePlayer(next.player);
      if (next.owned) screen.markOwned?.(item);
      const { price } = next;
      if (price !== null) screen.list.update((row) => (row.id === item.id ? { ...row, price } : row));
      if (next.reload) screen.list.reload();
    },
  };
}
