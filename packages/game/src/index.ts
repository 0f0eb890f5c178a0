/**
 * @metagameplay/game: what the console (Ink) and the browser (React DOM) games share, so a rule or a
 * sentence is written once — the rules of screens as pure functions (paging with a cursor stack, the
 * login dialogue, battles, trade confirmation, failure handling, input validation, ledger formatting) and the
 * en/ru texts. Nothing here renders or touches a terminal or a DOM. The operator's console has its own
 * entry, `@metagameplay/game/admin` (admin.ts), so the game's bundles never carry it.
 */
export * from './game-api';
export * from './i18n/index';
export * from './logic/battles';
export * from './logic/failure';
export * from './logic/ledger-format';
export * from './logic/list-browser';
export * from './logic/login-flow';
export * from './logic/owned';
export * from './logic/request-gate';
export * from './logic/trade';
export * from './logic/trade-outcome';
export * from './logic/validation';
