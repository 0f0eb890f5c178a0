/**
 * The economy (`/admin/economy`) over the last 7, 30 or 90 days: the money supply, credits created
 * against credits destroyed each day (the grouping is the game package's `moneyFlow`), items bought
 * and sold each day, and the ten largest balances.
 */
import type { Economy, EconomyRange } from '@metagameplay/client';
import {
  CREATED_TYPES,
  DESTROYED_TYPES,
  economySeries,
  moneyFlow,
  TRADE_TYPES,
} from '@metagameplay/game/admin';
import { formatCredits } from '@metagameplay/protocol';
import { useEffect, useState } from 'react';
import { Screen } from '../components/screen';
import { ErrorState, Loading } from '../components/states';
import { useGame } from '../game-context';
import { Chart, PALETTE } from './chart';
import { useConsole } from './console-context';
import { TableScroll } from './paged-table';
import { ledgerTypeLabel } from './labels';
import { PlayerLink } from './player-link';

const RANGES: readonly EconomyRange[] = [7, 30, 90];

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function EconomyPage() {
  const { gate } = useGame();
  const { admin, c } = useConsole();
  const [range, setRange] = useState<EconomyRange>(30);
  const [data, setData] = useState<Economy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      const outcome = await gate.run(() => admin.economy(range));
      if (!live) return;
      if (outcome.ok) setData(outcome.value);
      else if (!outcome.handled) setError(outcome.error);
    })();
    return () => {
      live = false;
    };
  }, [range, attempt]);

  return (
    <Screen heading={c.economy.heading} wide>
      <div className="range-picker" role="group" aria-label={c.economy.range}>
        <span aria-hidden="true">{c.economy.range}:</span>
        {RANGES.map((days) => (
          <button
            key={days}
            type="button"
            className="button ghost small"
            aria-pressed={range === days}
            onClick={() => setRange(days)}
          >
            {c.economy.days(days)}
          </button>
        ))}
      </div>
      {error !== null ? (
        <ErrorState error={error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : data === null ? (
        <Loading />
      ) : (
        <EconomyView data={data} />
      )}
    </Screen>
  );
}

export function EconomyView({ data }: { data: Economy }) {
  const { t } = useGame();
  const { c } = useConsole();
  const series = economySeries(data.days);
  const flows = data.days.map((d) => moneyFlow(d.flows));
  const money = (units: number): string => formatCredits(units);
  return (
    <>
      <dl className="stats console-stats">
        <div className="stat gold">
          <dt>{c.economy.supplyNow}</dt>
          <dd>{c.credits(formatCredits(data.supply))}</dd>
        </div>
        <div className="stat cyan">
          <dt>{c.economy.escrow}</dt>
          <dd>{c.credits(formatCredits(data.escrow))}</dd>
        </div>
      </dl>
      <div className="chart-grid wide">
        <Chart
          title={c.economy.supplyChart}
          times={series.times}
          series={[{ label: c.economy.supply, values: series.supply, color: PALETTE[2] ?? '#ffd166' }]}
          timeHeader={c.economy.day}
          timeText={day}
          valueText={money}
          days
          height={220}
        />
        <Chart
          title={c.economy.flowChart}
          times={series.times}
          series={[
            { label: c.economy.created, values: series.created, color: '#6ef2a4', bars: true },
            {
              label: c.economy.destroyed,
              values: series.destroyed.map((v) => -v),
              color: '#ff7a8a',
              bars: true,
            },
          ]}
          extraColumns={[
            { label: c.economy.net, values: flows.map((f) => money(f.net)) },
            ...CREATED_TYPES.map((type) => ({
              label: `+ ${ledgerTypeLabel(t, c, type)}`,
              values: flows.map((f) => money(f.createdBy[type])),
            })),
            ...DESTROYED_TYPES.map((type) => ({
              label: `− ${ledgerTypeLabel(t, c, type)}`,
              values: flows.map((f) => money(f.destroyedBy[type])),
            })),
          ]}
          timeHeader={c.economy.day}
          timeText={day}
          valueText={money}
          days
          height={220}
        />
        <p className="hint">{c.economy.flowHint}</p>
        <Chart
          title={c.economy.tradesChart}
          times={series.times}
          series={TRADE_TYPES.map((type, index) => ({
            label: ledgerTypeLabel(t, c, type),
            values: series.trades[type],
            color: PALETTE[index] ?? '#5ee7ff',
          }))}
          timeHeader={c.economy.day}
          timeText={day}
          days
          height={220}
        />
      </div>
      <section className="console-section" aria-labelledby="holders-heading">
        <h2 id="holders-heading">{c.economy.topHolders}</h2>
        {data.topHolders.length === 0 ? (
          <p className="empty">{c.economy.noHolders}</p>
        ) : (
          <TableScroll label={c.economy.topHolders}>
            <table className="data-table" aria-label={c.economy.topHolders}>
              <thead>
                <tr>
                  <th scope="col">{c.economy.rank}</th>
                  <th scope="col">{c.economy.pilot}</th>
                  <th scope="col" className="num">
                    {c.economy.balance}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.topHolders.map((holder, index) => (
                  <tr key={holder.id}>
                    <td>{index + 1}</td>
                    <td>
                      <PlayerLink id={holder.id} nickname={holder.nickname} />
                    </td>
                    <td className="num">{formatCredits(holder.balance)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
