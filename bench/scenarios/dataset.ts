/** Bench data sets on Postgres: schema by the server's own migrations, rows by server-side SQL. */
import {
  databaseExists,
  databaseUrl,
  pickCatalog,
  recreateDatabase,
  seededDataset,
  seedPlayers,
} from '../lib/db';
import { startGameServer } from '../lib/proc';
import type { BenchOptions } from '../lib/report';

export interface Dataset {
  name: string;
  url: string;
  players: number;
  ledgerRows: number;
  loadSeconds: number;
  reused: boolean;
  cycleItem: { id: number; price: number };
}

/**
 * Returns a database holding `players` seeded players. A complete earlier load of the same size is
 * reused when `reuse` is true (the 10M-row set takes minutes); otherwise the database is recreated,
 * the server is started once on it (migrations + catalog) and stopped, and the rows are inserted.
 */
export async function prepareDataset(
  name: string,
  players: number,
  options: BenchOptions,
  reuse: boolean,
  /** Ledger rows spread over this many days before now, in time order (see seedPlayers). */
  spreadDays = 0,
): Promise<Dataset> {
  const url = databaseUrl(name);
  if (reuse && (await databaseExists(name))) {
    const seeded = await seededDataset(url);
    if (seeded && seeded.players === players) {
      const pick = await pickCatalog(url);
      options.log(
        `  reusing ${name}: ${players.toLocaleString('en-US')} players (loaded earlier in ${seeded.seconds.toFixed(1)} s)`,
      );
      return {
        name,
        url,
        players,
        ledgerRows: seeded.ledgerRows,
        loadSeconds: seeded.seconds,
        reused: true,
        cycleItem: pick.cycleItem,
      };
    }
  }
  await recreateDatabase(name);
  const server = await startGameServer(`${name}-migrate`, { DATABASE_URL: url });
  await server.stop();
  const step = Math.max(50_000, Math.ceil(players / 10));
  let reported = 0;
  const seeded = await seedPlayers(
    url,
    players,
    (done) => {
      if (done - reported >= step || done === players) {
        reported = done;
        options.log(
          `  ${name}: ${done.toLocaleString('en-US')} / ${players.toLocaleString('en-US')} players loaded`,
        );
      }
    },
    spreadDays,
  );
  options.log(
    `  ${name}: loaded ${seeded.players.toLocaleString('en-US')} players and ${seeded.ledgerRows.toLocaleString('en-US')} ledger rows in ${seeded.seconds.toFixed(1)} s`,
  );
  const pick = await pickCatalog(url);
  return {
    name,
    url,
    players,
    ledgerRows: seeded.ledgerRows,
    loadSeconds: seeded.seconds,
    reused: false,
    cycleItem: pick.cycleItem,
  };
}
