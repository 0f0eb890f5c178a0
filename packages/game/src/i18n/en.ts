/**
 * Every English text of the console game, in one place. `ru.ts` must provide the same keys (the
 * `Messages` type derived from this object enforces it); texts with values are small functions.
 */
export const en = {
  title: 'MetaGameplay — Economic simulator of the Galaxy',
  credits: (amount: string) => `${amount} cr`,
  loading: 'Contacting the galaxy…',
  pressAnyKey: 'Press any key',

  login: {
    heading: 'Identify yourself, pilot',
    nickname: 'Nickname: ',
    password: 'Password: ',
    confirmPassword: 'Repeat password: ',
    checking: 'Checking your papers…',
    creating: 'Registering a new pilot…',
    offerCreate: (nickname: string) =>
      `No pilot named "${nickname}" flies in this galaxy. Create this pilot? [Y]es / [N]o`,
    newPilotPassword: 'Choose a password for your new pilot (8..128 characters).',
    confirmHint: 'Type the same password again to confirm.',
    passwordsDiffer: 'The passwords do not match — choose the password again.',
    keys: 'Enter next · Esc back · Ctrl+C quit',
    offerKeys: 'Y create the pilot · N choose another nickname',
    sessionExpired: 'Your session has expired — please log in again.',
    loggedOut: 'You left the bridge. Fly safe, pilot.',
  },

  validation: {
    nicknameLength: 'A nickname has 3 to 32 characters.',
    nicknameChars: 'A nickname may hold only letters, digits, "_" and "-".',
    passwordLength: 'A password has 8 to 128 characters.',
  },

  home: {
    welcome: (nickname: string) => `Welcome aboard, ${nickname}!`,
    welcomeBack: (nickname: string) => `Welcome back, ${nickname}!`,
    bonus: (amount: string) => `Login bonus: +${amount} credits landed in your hold.`,
    balance: 'Credits',
    power: 'Power',
    rating: 'Rating',
    items: 'Items',
    menu: [
      'Shop',
      'Inventory (sell, list)',
      'Transaction history',
      'Market (other pilots)',
      'Refresh',
      'Lobby (online pilots)',
      'Quick match',
      'My battles',
      'Leaderboard',
      'Log out',
      'Quit',
    ],
    keys: '↑↓ choose · Enter open · 1-9, 0 shortcut · Q quit',
  },

  shop: {
    heading: 'Shop',
    search: 'Search: ',
    searchHint: '(type to search)',
    empty: 'Nothing matches in this sector.',
    columns: { name: 'Item', price: 'Price', power: 'Power' },
    owned: 'owned',
    page: (page: number, more: boolean) => `Page ${page}${more ? ' · more →' : ' · end'}`,
    balance: (amount: string) => `Your credits: ${amount}`,
    keys: '↑↓ move · PgUp/PgDn page · type to search · Enter buy · Esc back',
    confirm: (name: string, price: string, after: string) =>
      `Buy "${name}" for ${price} credits? Balance after: ${after} credits. [Y]es / [N]o`,
    bought: (name: string) => `Item bought — you grow stronger! "${name}" is yours.`,
    buying: 'Closing the deal…',
    alreadyOwned: 'You already have this item.',
    cannotAfford: (need: string, have: string) => `Not enough credits: it costs ${need}, you have ${have}.`,
  },

  inventory: {
    heading: 'Inventory',
    empty: 'Your hold is empty. Visit the shop!',
    columns: { name: 'Item', sellPrice: 'Sells for', power: 'Power' },
    keys: '↑↓ move · PgUp/PgDn page · Enter sell · L list on the market · Esc back',
    confirm: (name: string, price: string, after: string) =>
      `Sell "${name}" for ${price} credits? Balance after: ${after} credits. [Y]es / [N]o`,
    sold: (name: string, amount: string) =>
      `Sold — credits are in your hold. "${name}" brought ${amount} credits.`,
    selling: 'Closing the deal…',
  },

  history: {
    heading: 'Transaction history',
    empty: 'No transactions yet.',
    columns: { when: 'When', type: 'Type', amount: 'Amount', balanceAfter: 'Balance after', item: 'Item' },
    keys: '↑↓ move · PgUp/PgDn page · Esc back',
    types: {
      login_bonus: 'login bonus',
      purchase: 'purchase',
      sale: 'sale',
      battle_stake: 'battle stake',
      battle_payout: 'battle payout',
      battle_refund: 'battle refund',
      admin_grant: 'admin grant',
      market_purchase: 'market purchase',
      market_sale: 'market sale',
      market_fee: 'market fee',
      admin_deduct: 'deducted by an admin',
      account_closed: 'account closed',
    },
  },

  battles: {
    lobby: {
      heading: 'Lobby — pilots online',
      empty: 'No other pilot is online right now.',
      columns: { nickname: 'Pilot', power: 'Power', rating: 'Rating' },
      keys: '↑↓ move · Enter challenge · R reload · Esc back',
      stakePrompt: (nickname: string) => `Stake against ${nickname} (credits, empty = friendly): `,
      stakeKeys: 'Enter send the challenge · Esc cancel',
      sending: 'Sending the challenge…',
      sent: (nickname: string, seconds: number) =>
        `Challenge sent to ${nickname} — waiting for an answer (${seconds} s left). C cancel it.`,
      declined: (nickname: string) => `${nickname} declined your challenge. Your stake is back.`,
      cancelled: 'Challenge cancelled. Your stake is back.',
      expired: (nickname: string) => `${nickname} did not answer in time. Your stake is back.`,
    },
    badStake: 'A stake is an amount of credits, like 10 or 12.50.',
    incoming: {
      prompt: (nickname: string, stake: string, seconds: number) =>
        `⚔ ${nickname} challenges you for ${stake} credits — ${seconds} s left.`,
      friendly: (nickname: string, seconds: number) =>
        `⚔ ${nickname} challenges you to a friendly battle — ${seconds} s left.`,
      keys: '[A] accept · [D] decline',
      more: (count: number) => `(+${count} more waiting)`,
      accepting: 'Into battle…',
      declined: 'Challenge declined.',
    },
    quick: {
      heading: 'Quick match',
      stakePrompt: 'Stake (credits, empty = friendly): ',
      stakeKeys: 'Enter join the queue · Esc back',
      waiting: (stake: string, elapsed: string) =>
        `Looking for an opponent with a stake of ${stake} credits… ${elapsed}`,
      waitingKeys: 'Esc leave the queue',
      left: 'You left the queue.',
    },
    result: {
      heading: 'Battle result',
      won: 'VICTORY! You won the battle.',
      lost: 'Defeat. You lost the battle.',
      versus: (me: string, them: string) => `${me} vs ${them}`,
      power: (mine: number, theirs: number) => `Power: you ${mine} · opponent ${theirs}`,
      odds: (chance: string) => `Your odds were ${chance}`,
      stake: (amount: string) =>
        amount === '0.00' ? 'Stake: none (a friendly battle)' : `Stake: ${amount} credits each`,
      credits: (amount: string) => `Credits: ${amount}`,
      rating: (delta: string) => `Rating: ${delta}`,
      verified: 'verified ✓ (provably fair: the seed matches its hash and the outcome)',
      notVerified: 'NOT VERIFIED ✗ — this result does not match its seeds!',
      seedHash: 'Seed hash',
      seed: 'Server seed',
      clientSeeds: (challenger: string, opponent: string) =>
        `Client seeds: challenger ${challenger} · opponent ${opponent}`,
      keys: 'Esc / Enter back',
    },
    history: {
      heading: 'My battles',
      empty: 'No battles yet — visit the lobby!',
      columns: { when: 'When', opponent: 'Opponent', stake: 'Stake', outcome: 'Outcome', check: 'Check' },
      keys: '↑↓ move · PgUp/PgDn page · Enter details · Esc back',
      outcomes: {
        won: 'won',
        lost: 'lost',
        pending: 'pending',
        declined: 'declined',
        cancelled: 'cancelled',
        expired: 'expired',
      },
    },
    leaderboard: {
      heading: 'Leaderboard',
      empty: 'Nobody has fought yet.',
      columns: { rank: '#', nickname: 'Pilot', rating: 'Rating', power: 'Power', record: 'W / L' },
      keys: '↑↓ move · PgUp/PgDn page · Esc back',
    },
    live: {
      reconnecting: 'Live link lost — reconnecting…',
      tooManySockets: 'Too many open game windows for this pilot: live updates are off here.',
    },
  },

  connection: {
    retrying: (attempt: number, max: number) => `Cannot reach the galaxy — retrying (${attempt}/${max})…`,
    lost: 'Cannot reach the galaxy. The server does not answer.',
    reconnecting: (seconds: number) => `Cannot reach the galaxy — trying again in ${seconds} s…`,
    hint: (url: string) => `Server: ${url}. Is it running? Start it with "npm start".`,
    choice: '[R] retry · [Q] quit',
  },

  errors: {
    opponentOffline: 'That pilot is no longer online.',
    battleNotPending: 'That challenge is no longer open.',
    invalidOpponent: 'You cannot challenge yourself, pilot.',
    tooManyChallenges: 'You already have the most open challenges (5, one per pilot) — wait for answers.',
    playerOffline: 'The live link is down — reconnecting; try again in a moment.',
    alreadyOwned: 'You already have this item.',
    insufficientFunds: (need: string, have: string) => `Not enough credits: need ${need}, you have ${have}.`,
    insufficientFundsPlain: 'Not enough credits for that.',
    priceChanged: (price: string) =>
      `The price has just changed to ${price} credits — look again before buying.`,
    priceChangedPlain: 'The price has just changed — look again before buying.',
    notOwned: 'You do not own this item (any more).',
    itemNotFound: 'This item is no longer traded in the galaxy.',
    invalidCredentials: 'Wrong password, pilot.',
    banned: (reason: string, until: string | null) =>
      `This pilot is banned${until === null ? '' : ` until ${until}`}${reason === '' ? '.' : `: ${reason}`}`,
    playerNotFound: 'No pilot with that nickname.',
    nicknameTaken: 'That nickname was just taken — choose another.',
    validation: 'The galaxy rejected that input — check it and try again.',
    rateLimited: (seconds: number) => `Too many attempts — wait ${seconds} s and try again.`,
    rateLimitedPlain: 'Too many attempts — wait a little and try again.',
    unexpected: (code: string) => `Something went wrong out there (${code}). Try again.`,
    ownListing: 'That is your own listing, pilot.',
    listingNotActive: 'That listing is gone — sold, cancelled or expired.',
    tooManyListings: 'You already have the most listings on the market (20) — cancel one first.',
    alreadyListed: 'This item is already on the market.',
  },

  market: {
    heading: 'Market',
    blurb: 'Buy from other pilots; list your own gear for sale.',
    empty: 'Nothing on the market right now.',
    mineHeading: 'My listings',
    mineEmpty: 'You have listed nothing yet.',
    searchLabel: 'Search the market',
    sortLabel: 'Order',
    sortPrice: 'cheapest first',
    sortNewest: 'newest first',
    columns: { item: 'Item', seller: 'Seller', price: 'Price', status: 'Status', expires: 'Expires' },
    buy: 'Buy',
    buyItem: (name: string, seller: string) => `Buy ${name} from ${seller}`,
    confirmTitle: 'Buy from a pilot?',
    confirm: (name: string, seller: string, price: string, after: string) =>
      `Buy "${name}" from ${seller} for ${price} credits? Your balance after: ${after} credits.`,
    buying: 'Buying from the pilot…',
    bought: (name: string, balance: string) => `You bought "${name}". Balance: ${balance} credits.`,
    ownBadge: 'yours',
    cancel: 'Cancel',
    cancelItem: (name: string) => `Cancel the listing of ${name}`,
    cancelled: (name: string) => `"${name}" is back in your inventory.`,
    list: 'List on the market',
    // The visible label first: an accessible name must hold the button's text.
    listItem: (name: string) => `List on the market: ${name}`,
    listTitle: (name: string) => `List "${name}" on the market`,
    priceLabel: 'Price (credits)',
    listConfirm: 'List it',
    listHint: 'Buyers pay your price; the market keeps a small fee of it. Unsold, it comes back in 72 h.',
    listed: (name: string, price: string) => `"${name}" is on the market for ${price} credits.`,
    listedBadge: 'listed',
    badPrice: 'Enter a price in credits, at least 0.01.',
    sold: (name: string, price: string) => `A pilot bought your "${name}" for ${price} credits.`,
    status: { active: 'on sale', sold: 'sold', cancelled: 'cancelled', expired: 'expired' },
    lowest: (price: string) => `market from ${price}`,
    keys: '↑↓ move · PgUp/PgDn page · type to search · Enter buy · Tab my listings · Esc back',
    mineKeys: '↑↓ move · C cancel · Tab market · Esc back',
    answerKeys: '[Y]es / [N]o',
    pricePrompt: (name: string) => `Price for "${name}" in credits: `,
    priceKeys: 'type the price · Enter list · Esc back',
  },

  cli: {
    usage:
      'Usage: npm run console -- [--server URL] [--lang en|ru]\n' +
      '  --server URL  game server (default: $METAGAMEPLAY_URL or http://127.0.0.1:8080)\n' +
      '  --lang en|ru  language (default: from LANG, else English)',
    notATerminal: 'MetaGameplay needs an interactive terminal (a TTY) to run.',
    crashed:
      'MetaGameplay hit an unexpected problem and had to stop. Your credits and items are safe on the server.',
    goodbye: 'Goodbye, pilot.',
  },
};

/** The shape every language must fill in. */
export type Messages = typeof en;
