/** The services, built once per process from the infrastructure (bootstrap.ts calls this). */
import type { ServiceContext } from './context';
import { AdminService } from './features/admin/admin.service';
import { AuthService } from './features/auth/auth.service';
import { PlayerService } from './features/players/players.service';
import { ShopService } from './features/shop/shop.service';
import { WalletService } from './features/wallet/wallet.service';

export interface Services {
  wallet: WalletService;
  auth: AuthService;
  players: PlayerService;
  shop: ShopService;
  admin: AdminService;
}

export function createServices(ctx: ServiceContext): Services {
  const wallet = new WalletService(ctx);
  const players = new PlayerService(ctx);
  const shop = new ShopService(ctx);
  return {
    wallet,
    players,
    shop,
    auth: new AuthService(ctx, players, wallet),
    admin: new AdminService(ctx, shop),
  };
}
