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
  comingSoon: 'Battles are being prepared in the hangar — check back soon.',
  reload: 'Reload',

  nav: {
    label: 'Main',
    home: 'Bridge',
    shop: 'Shop',
    inventory: 'Inventory',
    history: 'History',
    lobby: 'Lobby',
    battles: 'Battles',
    leaderboard: 'Leaderboard',
    logout: 'Log out',
    balance: 'Your credits',
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
};

export type WebMessages = typeof webEn;
