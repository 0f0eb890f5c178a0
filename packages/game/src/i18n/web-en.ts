/**
 * English texts only the browser game shows (buttons, labels, page states). Everything the console
 * says too — errors, login rules, headings, columns, ledger types — comes from `en.ts`, so a sentence
 * is written once; `web-ru.ts` must provide the same keys (the `WebMessages` type enforces it).
 */
export const webEn = {
  appName: 'MetaGameplay',
  tagline: 'Economic simulator of the Galaxy',
  skipToContent: 'Skip to content',
  language: 'Language',
  loadingScreen: 'Loading…',
  retry: 'Retry',
  retryNow: 'Retry now',
  close: 'Close',
  yes: 'Yes',
  no: 'No',
  cancel: 'Cancel',
  previousPage: '← Previous',
  nextPage: 'Next →',
  page: (page: number) => `Page ${page}`,
  offline: 'Cannot reach the galaxy — retrying…',
  offlineNext: (seconds: number) => `Next attempt in ${seconds} s.`,
  screenFailed: 'This screen could not be loaded.',
  crashed: 'Something broke on board. Your credits and items are safe on the server — reload the page.',
  reload: 'Reload',

  nav: {
    label: 'Main',
    home: 'Bridge',
    shop: 'Shop',
    inventory: 'Inventory',
    market: 'Market',
    history: 'History',
    lobby: 'Lobby',
    battles: 'Battles',
    leaderboard: 'Leaderboard',
    logout: 'Log out',
    balance: 'Your credits',
    console: 'Console',
  },

  admin: {
    notAllowedHeading: 'Not allowed',
    notAllowed: 'The operator’s console is for admins only.',
    toBridge: 'Back to the bridge',
    loadFailed: 'The console could not be loaded.',
  },

  login: {
    signIn: 'Take off',
    nickname: 'Nickname',
    password: 'Password',
    confirmPassword: 'Repeat password',
    nicknameHint: '3 to 32 letters, digits, "_" or "-". A new nickname creates a new pilot.',
    offerCreate: (nickname: string) =>
      `No pilot named "${nickname}" flies in this galaxy. Create this pilot?`,
    create: 'Create pilot',
    chooseAnother: 'Choose another nickname',
    back: 'Back',
  },

  home: {
    bonusNone: 'No login bonus this time — it comes back after a rest.',
    actions: 'Where to, pilot?',
    shopBlurb: 'Gear up: items add to your power.',
    inventoryBlurb: 'Sell what you no longer need.',
    historyBlurb: 'Every credit in and out.',
    lobbyBlurb: 'Challenge pilots who are online.',
    leaderboardBlurb: 'The best pilots of the galaxy.',
    battlesBlurb: 'Your past battles, verified.',
  },

  shop: {
    searchLabel: 'Search the catalog',
    searchPlaceholder: 'Type to search…',
    buy: 'Buy',
    buyItem: (name: string) => `Buy ${name}`,
    cannotAfford: 'Not enough credits',
    ownedBadge: 'Owned',
    confirmTitle: 'Confirm purchase',
    confirm: (name: string, price: string, after: string) =>
      `Buy "${name}" for ${price} credits? Balance after: ${after} credits.`,
    boughtBalance: (amount: string) => `Balance: ${amount} credits.`,
  },

  inventory: {
    sell: 'Sell',
    sellItem: (name: string) => `Sell ${name}`,
    confirmTitle: 'Confirm sale',
    confirm: (name: string, price: string, after: string) =>
      `Sell "${name}" for ${price} credits? Balance after: ${after} credits.`,
  },

  history: {
    battle: 'battle',
    battleLink: 'View battle',
  },
  battle: {
    lobbyHeading: 'Lobby — pilots online',
    lobbyEmpty: 'No other pilot is online right now. Quick match waits for one.',
    challenge: 'Challenge',
    challengeWho: (nickname: string) => `Challenge ${nickname}`,
    stake: 'Stake (credits)',
    stakeHint: '0 is a friendly battle. Both pilots need the stake.',
    badStake: 'A stake is a number of credits with up to two decimals.',
    challengeTitle: (nickname: string) => `Challenge ${nickname}`,
    send: 'Send challenge',
    sent: (nickname: string, stake: string) =>
      `Challenge sent to ${nickname} for ${stake} credits — waiting for an answer…`,
    power: 'Power',
    rating: 'Rating',
    quickMatch: 'Quick match',
    quickMatchHint: 'Paired with an online pilot of close rating and the same stake.',
    findMatch: 'Find a match',
    waiting: (stake: string) => `Searching the galaxy for an opponent (stake ${stake} credits)…`,
    leave: 'Leave the queue',
    incomingTitle: 'Incoming challenge!',
    incoming: (nickname: string, stake: string) => `${nickname} challenges you for ${stake} credits.`,
    secondsLeft: (seconds: number) => `${seconds} s left`,
    accept: 'Accept',
    decline: 'Decline',
    viewResult: 'View result',
    viewChallenge: 'View challenge',
    closedToast: (status: 'declined' | 'cancelled' | 'expired'): string =>
      status === 'declined'
        ? 'Your challenge was declined — the stake is back in your hold.'
        : status === 'expired'
          ? 'Your challenge expired unanswered — the stake is back in your hold.'
          : 'Challenge cancelled — the stake is back in your hold.',
    resultHeading: 'Battle result',
    victory: 'Victory',
    defeat: 'Defeat',
    pending: 'Waiting for the opponent',
    status: {
      pending: 'pending',
      resolved: 'resolved',
      declined: 'declined',
      cancelled: 'cancelled',
      expired: 'expired',
    },
    you: 'You',
    odds: 'Chance to win',
    stakeLabel: 'Stake',
    credits: 'Credits',
    ratingChange: 'Rating',
    verified: 'verified ✓',
    unverified: 'NOT verified ✗',
    fairness: 'Provably fair',
    seedHash: 'Seed hash (published at challenge)',
    seed: 'Server seed (revealed)',
    clientSeeds: 'Client seeds (challenger / opponent)',
    rounds: 'Rounds',
    round: (n: number) => `Round ${n}`,
    hit: (attacker: string, target: string, damage: number) => `${attacker} hits ${target}: −${damage} HP`,
    hitPoints: (nickname: string) => `${nickname}: hit points`,
    historyHeading: 'Your battles',
    historyEmpty: 'No battles yet. Find an opponent in the lobby!',
    vs: (nickname: string) => `vs ${nickname}`,
    leaderboardHeading: 'Leaderboard',
    leaderboardEmpty: 'Nobody has a rating yet.',
    rank: 'Rank',
    pilot: 'Pilot',
    winsLosses: 'W / L',
    cancel: 'Cancel challenge',
  },
};

export type WebMessages = typeof webEn;
