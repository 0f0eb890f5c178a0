/**
 * One catalog item as the shop shows it: name, power, price (and the market's lowest), and Buy or the
 * Owned badge. The shop lists these; the operator's console previews an item being edited with it.
 */
import type { ShopItem } from '@metagameplay/protocol';
import { formatCredits } from '@metagameplay/protocol';
import { useGame } from '../game-context';
import { Stat } from './stat';

export function ShopItemRow(props: {
  item: ShopItem;
  mine: boolean;
  tooDear: boolean;
  busy: boolean;
  onBuy: (item: ShopItem) => void;
}) {
  const { t, w } = useGame();
  const { item, mine, tooDear } = props;
  return (
    <li className={`row item${tooDear ? ' dim' : ''}${mine ? ' owned' : ''}`}>
      <span className="item-name">{item.name}</span>
      <Stat kind="power" label={t.shop.columns.power} title={t.shop.columns.power}>
        {item.power}
      </Stat>
      <span className="item-price">
        <span className="sr-only">{t.shop.columns.price}: </span>
        {t.credits(formatCredits(item.price))}
        {item.lowestMarketPrice != null && (
          <small className="market-price">{t.market.lowest(formatCredits(item.lowestMarketPrice))}</small>
        )}
      </span>
      <span className="item-action">
        {mine ? (
          <span className="badge owned-badge">✓ {w.shop.ownedBadge}</span>
        ) : (
          <button
            type="button"
            className="button small"
            aria-label={w.shop.buyItem(item.name)}
            disabled={props.busy}
            aria-disabled={tooDear}
            title={tooDear ? w.shop.cannotAfford : undefined}
            onClick={() => props.onBuy(item)}
          >
            {w.shop.buy}
          </button>
        )}
      </span>
    </li>
  );
}
