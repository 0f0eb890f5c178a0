/** The services, built once per process from the infrastructure (bootstrap.ts calls this). */
import type { ServiceContext } from './context';
import { AdminService } from './features/admin/admin.service';
import { AuthService } from './features/auth/auth.service';
import { BattleService } from './features/battles/battles.service';
import { PlayerService } from './features/players/players.service';
import { RealtimeGateway } from './features/realtime/gateway';
import { LobbyService } from './features/realtime/lobby.service';
import { MatchmakingService } from './features/realtime/matchmaking.service';
import { ShopService } from './features/shop/shop.service';
import { WalletService } from './features/wallet/wallet.service';

export interface Services {
  wallet: WalletService;
  auth: AuthService;
  players: PlayerService;
  shop: ShopService;
  admin: AdminService;
  battles: BattleService;
  realtime: RealtimeGateway;
  lobby: LobbyService;
  matchmaking: MatchmakingService;
}

export function createServices(ctx: ServiceContext): Services {
  const wallet = new WalletService(ctx);
  const players = new PlayerService(ctx);
  players.online = ctx.presence;
  const shop = new ShopService(ctx);
  const auth = new AuthService(ctx, players, wallet);
  const { wsAuthTimeoutMs, wsHeartbeatMs, wsMaxBufferedBytes, presenceTtlMs } = ctx.config;
  const realtime = new RealtimeGateway(ctx, auth, players, {
    authTimeoutMs: wsAuthTimeoutMs,
    heartbeatMs: wsHeartbeatMs,
    maxBufferedBytes: wsMaxBufferedBytes,
    presenceTickMs: Math.max(50, Math.floor(presenceTtlMs / 3)),
  });
  const battles = new BattleService(ctx, wallet);
  realtime.pendingChallenges = battles;
  const matchmaking = new MatchmakingService(ctx, players);
  matchmaking.resolver = battles;
  return {
    wallet,
    battles,
    players,
    shop,
    auth,
    admin: new AdminService(ctx, shop),
    realtime,
    lobby: new LobbyService(ctx),
    matchmaking,
  };
}
