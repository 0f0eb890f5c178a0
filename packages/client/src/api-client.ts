/**
 * The typed client of the MetaGameplay HTTP API (shared/API.md), for Node and browsers alike: only
 * `fetch`, `AbortController` and `crypto` are used. Request and response types come from
 * @metagameplay/protocol, so a contract change breaks the build here rather than a player's game.
 * Responses are typed, not re-validated: the server validates them against the same schemas.
 *
 * Money moves (buy, sell, grant) draw one Idempotency-Key per call and send it on every retry of
 * that call: however many attempts a flaky network causes, the server does the purchase at most once.
 */
import type {
  AcceptBattleBody,
  BalanceResponse,
  BattlePage,
  BattleResponse,
  BuyBody,
  BuyResponse,
  BuyListingResponse,
  Credentials,
  LeaderboardPage,
  ListingPage,
  ListingResponse,
  MyListings,
  LobbyPage,
  MatchmakingQueued,
  OwnedItemPage,
  PrivatePlayer,
  PublicPlayer,
  Readiness,
  CreateBattleBody,
  SellResponse,
  SessionResponse,
  ShopItem,
  ShopPage,
  TransactionPage,
} from '@metagameplay/protocol';
import type {
  AdminApi,
  ApiClientOptions,
  BattleMoveOptions,
  BuyOptions,
  CheckedBattlePage,
  CheckedBattleResponse,
  MarketQuery,
  MoneyMoveOptions,
  PageQuery,
  ShopQuery,
} from './api-types';
import { adminConsoleCalls } from './admin-console';
import { checkBattle } from './checked-battle';
import { ApiError, isApiError, NetworkError } from './errors';
import { newClientSeed, newIdempotencyKey } from './idempotency-key';
import { connect, type RealtimeConnection, type RealtimeOptions } from './realtime';
import { normalizePolicy, type RetryMode } from './retry';
import { apiErrorFromResponse, HttpTransport, type HttpMethod, type QueryValue } from './transport';

const API = '/api/v1';
const DEFAULT_TIMEOUT_MS = 8000;

interface Call {
  method: HttpMethod;
  path: string;
  retry: RetryMode;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  idempotencyKey?: string;
}

export class ApiClient {
  /** The session token: set by register and login, cleared by logout. */
  token: string | null;
  readonly admin: AdminApi;
  private readonly http: HttpTransport;
  private readonly makeIdempotencyKey: () => string;
  private readonly makeClientSeed: () => string;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl;
    this.makeClientSeed = options.newClientSeed ?? newClientSeed;
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.token = options.token ?? null;
    this.makeIdempotencyKey = options.newIdempotencyKey ?? newIdempotencyKey;
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: normalizePolicy(options.retry),
      fetch: fetchImpl,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
      ...(options.language === undefined ? {} : { language: options.language }),
    });
    this.admin = {
      ...adminConsoleCalls({
        json: (spec) => this.http.request({ ...spec, token: this.token }),
        text: async (spec) => {
          const response = await this.http.send({ ...spec, token: this.token, parseBody: 'text' });
          return {
            text: typeof response.body === 'string' ? response.body : '',
            contentType: response.headers.get('content-type') ?? '',
          };
        },
        newIdempotencyKey: () => this.makeIdempotencyKey(),
      }),
      createItem: (body) => this.call({ method: 'POST', path: `${API}/admin/items`, body, retry: 'once' }),
      updateItem: (id, body) =>
        this.call({ method: 'PATCH', path: `${API}/admin/items/${segment(id)}`, body, retry: 'idempotent' }),
      deleteItem: (id, body) =>
        this.call({ method: 'DELETE', path: `${API}/admin/items/${segment(id)}`, body, retry: 'idempotent' }),
      grantCredits: (playerId, body, moveOptions) =>
        this.call({
          method: 'POST',
          path: `${API}/admin/players/${segment(playerId)}/credits`,
          body,
          retry: 'idempotent',
          idempotencyKey: moveOptions?.idempotencyKey ?? this.makeIdempotencyKey(),
        }),
    };
  }

  // --- accounts -------------------------------------------------------------------------------------

  /**
   * Register and login are not idempotent (each success grants a login bonus), so they are retried
   * only when the server certainly did nothing: connection refused, 429, 503 (see RetryMode 'once').
   */
  async register(nickname: string, password: string): Promise<SessionResponse> {
    return this.startSession('register', { nickname, password });
  }

  async login(nickname: string, password: string): Promise<SessionResponse> {
    return this.startSession('login', { nickname, password });
  }

  /** Revokes the token on the server; the local token is cleared whatever happens. */
  async logout(): Promise<void> {
    const token = this.token;
    if (token === null) return;
    try {
      await this.http.request<undefined>({
        method: 'POST',
        path: `${API}/auth/logout`,
        token,
        retry: 'idempotent',
      });
    } catch (error) {
      if (!isApiError(error, 'UNAUTHENTICATED')) throw error;
    } finally {
      if (this.token === token) this.token = null;
    }
  }

  // --- the player -----------------------------------------------------------------------------------

  async me(): Promise<PrivatePlayer> {
    return this.get(`${API}/me`);
  }

  async balance(): Promise<BalanceResponse> {
    return this.get(`${API}/me/balance`);
  }

  async myItems(query: PageQuery = {}): Promise<OwnedItemPage> {
    return this.get(`${API}/me/items`, { limit: query.limit, cursor: query.cursor });
  }

  async transactions(query: PageQuery = {}): Promise<TransactionPage> {
    return this.get(`${API}/me/transactions`, { limit: query.limit, cursor: query.cursor });
  }

  async sell(itemId: number, options: MoneyMoveOptions = {}): Promise<SellResponse> {
    return this.call({
      method: 'POST',
      path: `${API}/me/items/${segment(itemId)}/sell`,
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
  }

  async player(id: string): Promise<PublicPlayer> {
    return this.get(`${API}/players/${segment(id)}`);
  }

  // --- the shop -------------------------------------------------------------------------------------

  /** The catalog is public and cacheable: pages are revalidated with If-None-Match. */
  async shopItems(query: ShopQuery = {}): Promise<ShopPage> {
    return this.http.request({
      method: 'GET',
      path: `${API}/shop/items`,
      query: { limit: query.limit, cursor: query.cursor, search: query.search },
      token: this.token,
      retry: 'idempotent',
      conditional: true,
    });
  }

  async shopItem(id: number): Promise<ShopItem> {
    return this.get(`${API}/shop/items/${segment(id)}`);
  }

  async buy(itemId: number, options: BuyOptions = {}): Promise<BuyResponse> {
    const body: BuyBody | undefined =
      options.expectedPrice === undefined ? undefined : { expectedPrice: options.expectedPrice };
    return this.call({
      method: 'POST',
      path: `${API}/shop/items/${segment(itemId)}/buy`,
      body,
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
  }

  // --- the market between players (API.md "Market between players") --------------------------------

  /** Active listings, cheapest (default) or newest first; `itemId` and `search` narrow them. */
  async marketListings(query: MarketQuery = {}): Promise<ListingPage> {
    return this.get(`${API}/market/listings`, {
      limit: query.limit,
      cursor: query.cursor,
      itemId: query.itemId,
      search: query.search,
      sort: query.sort,
    });
  }

  async myListings(): Promise<MyListings> {
    return this.get(`${API}/market/listings/mine`);
  }

  /** Puts an owned item on sale; it is held in escrow until sold, cancelled or expired. */
  async createListing(
    itemId: number,
    price: number,
    options: MoneyMoveOptions = {},
  ): Promise<ListingResponse> {
    return this.call({
      method: 'POST',
      path: `${API}/market/listings`,
      body: { itemId, price },
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
  }

  async cancelListing(listingId: string, options: MoneyMoveOptions = {}): Promise<ListingResponse> {
    return this.call({
      method: 'DELETE',
      path: `${API}/market/listings/${segment(listingId)}`,
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
  }

  async buyListing(listingId: string, options: BuyOptions = {}): Promise<BuyListingResponse> {
    return this.call({
      method: 'POST',
      path: `${API}/market/listings/${segment(listingId)}/buy`,
      body: options.expectedPrice === undefined ? {} : { expectedPrice: options.expectedPrice },
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
  }

  // --- battles (API.md "Battles") -------------------------------------------------------------------

  /** Challenges `opponentId`; the stake is held at once. Sends a random client seed unless given one. */
  async challenge(
    opponentId: string,
    stake: number,
    options: BattleMoveOptions = {},
  ): Promise<CheckedBattleResponse> {
    const body: CreateBattleBody = {
      opponentId,
      stake,
      clientSeed: options.clientSeed ?? this.makeClientSeed(),
    };
    return this.battleMove(`${API}/battles`, body, options);
  }

  /** Accepts a challenge: the battle is resolved at once and comes back verified (or flagged). */
  async accept(battleId: string, options: BattleMoveOptions = {}): Promise<CheckedBattleResponse> {
    const body: AcceptBattleBody = { clientSeed: options.clientSeed ?? this.makeClientSeed() };
    return this.battleMove(`${API}/battles/${segment(battleId)}/accept`, body, options);
  }

  async decline(battleId: string, options: MoneyMoveOptions = {}): Promise<CheckedBattleResponse> {
    return this.battleMove(`${API}/battles/${segment(battleId)}/decline`, undefined, options);
  }

  async cancel(battleId: string, options: MoneyMoveOptions = {}): Promise<CheckedBattleResponse> {
    return this.battleMove(`${API}/battles/${segment(battleId)}/cancel`, undefined, options);
  }

  async getBattle(battleId: string): Promise<CheckedBattleResponse> {
    const response = await this.get<BattleResponse>(`${API}/battles/${segment(battleId)}`);
    return { battle: checkBattle(response.battle) };
  }

  /** The player's own battles, newest first. */
  async listBattles(query: PageQuery = {}): Promise<CheckedBattlePage> {
    const page = await this.get<BattlePage>(`${API}/battles`, { limit: query.limit, cursor: query.cursor });
    return { battles: page.battles.map(checkBattle), nextCursor: page.nextCursor };
  }

  /** Online players, self excluded. */
  async lobby(query: PageQuery = {}): Promise<LobbyPage> {
    return this.get(`${API}/lobby`, { limit: query.limit, cursor: query.cursor });
  }

  async leaderboard(query: PageQuery = {}): Promise<LeaderboardPage> {
    return this.get(`${API}/leaderboard`, { limit: query.limit, cursor: query.cursor });
  }

  /** Joins the quick-match queue (joining again replaces the stake); needs an open WebSocket. */
  async joinMatchmaking(stake: number): Promise<MatchmakingQueued> {
    return this.call({ method: 'POST', path: `${API}/matchmaking`, body: { stake }, retry: 'idempotent' });
  }

  async leaveMatchmaking(): Promise<void> {
    await this.call<undefined>({ method: 'DELETE', path: `${API}/matchmaking`, retry: 'idempotent' });
  }

  /**
   * Opens the live connection (see realtime.ts) to this client's server with this client's token,
   * read again at every reconnect. Node passes `sockets: headerAuthSockets(WebSocket)` from `ws`.
   */
  connect(options: Omit<RealtimeOptions, 'baseUrl' | 'token'> = {}): RealtimeConnection {
    return connect({ ...options, baseUrl: this.baseUrl, token: () => this.token });
  }

  // --- operations -----------------------------------------------------------------------------------

  /** True while the server process answers `/healthz` with 2xx; false on any failure. Never retried. */
  async health(): Promise<boolean> {
    try {
      await this.http.send({ method: 'GET', path: '/healthz', retry: 'never', parseBody: false });
      return true;
    } catch (error) {
      if (error instanceof ApiError || error instanceof NetworkError) return false;
      throw error;
    }
  }

  /**
   * The readiness report. The server answers 503 with the same shape when the database is down; that
   * report is returned too (check `database`), so only an unreachable server or an unexpected body throws.
   */
  async ready(): Promise<Readiness> {
    const response = await this.http.send({
      method: 'GET',
      path: '/readyz',
      retry: 'never',
      accept: (status) => (status >= 200 && status < 300) || status === 503,
    });
    if (isReadiness(response.body)) return response.body;
    if (response.status === 503) {
      throw apiErrorFromResponse(503, response.headers, { ok: true, value: response.body });
    }
    throw new ApiError(
      response.status,
      'INTERNAL_ERROR',
      'The server sent a readiness report of unknown shape',
    );
  }

  // --- plumbing -------------------------------------------------------------------------------------

  private async startSession(
    action: 'register' | 'login',
    credentials: Credentials,
  ): Promise<SessionResponse> {
    const session = await this.http.request<SessionResponse>({
      method: 'POST',
      path: `${API}/auth/${action}`,
      body: credentials,
      retry: 'once',
    });
    this.token = session.token;
    return session;
  }

  /** A battle move: one Idempotency-Key per call, the same on every retry, like buy and sell. */
  private async battleMove(
    path: string,
    body: unknown,
    options: MoneyMoveOptions,
  ): Promise<CheckedBattleResponse> {
    const response = await this.call<BattleResponse>({
      method: 'POST',
      path,
      body,
      retry: 'idempotent',
      idempotencyKey: options.idempotencyKey ?? this.makeIdempotencyKey(),
    });
    return { battle: checkBattle(response.battle) };
  }

  private async get<T>(path: string, query?: Readonly<Record<string, QueryValue>>): Promise<T> {
    return this.call({ method: 'GET', path, query, retry: 'idempotent' });
  }

  private async call<T>(call: Call): Promise<T> {
    return this.http.request<T>({ ...call, token: this.token });
  }
}

/** A path segment from an id, so an odd player id can never reach another route. */
function segment(id: string | number): string {
  return encodeURIComponent(String(id));
}

function isReadiness(body: unknown): body is Readiness {
  if (typeof body !== 'object' || body === null) return false;
  const report = body as Partial<Record<keyof Readiness, unknown>>;
  return typeof report.database === 'string' && typeof report.redis === 'string';
}
