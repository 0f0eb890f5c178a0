/**
 * Renders a screen of the browser game in happy-dom inside a GameContext with a fake API, for
 * component tests: the request gate is the real one, the texts are English.
 */
import { LiveEvents } from '@metagameplay/client';
import { type GameApi, messages, RequestGate, webMessages } from '@metagameplay/game';
import type { PrivatePlayer } from '@metagameplay/protocol';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { GameContext, type GameContextValue, type Notice } from '../../src/game-context';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const PILOT: PrivatePlayer = {
  id: '0b7c1d2e-1111-2222-3333-444455556666',
  nickname: 'vega',
  role: 'player',
  balance: 5000,
  power: 0,
  rating: 1000,
  wins: 0,
  losses: 0,
  itemCount: 0,
  createdAt: '2026-11-30T00:00:00.000Z',
};

export interface Rendered {
  container: HTMLElement;
  notices: Notice[];
  player: () => PrivatePlayer;
  unmount: () => void;
}

export async function renderScreen(
  ui: ReactNode,
  api: Partial<GameApi>,
  extra: Partial<GameContextValue> = {},
): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  const notices: Notice[] = [];
  let player = { ...PILOT };
  const gate = new RequestGate({
    onOffline: () => undefined,
    onSettled: () => undefined,
    onSessionExpired: () => undefined,
  });
  const value = (): GameContextValue => ({
    t: messages.en,
    w: webMessages.en,
    lang: 'en',
    api: api as GameApi,
    battles: {} as GameContextValue['battles'],
    live: new LiveEvents(),
    gate,
    session: { player, loginBonus: 0 },
    route: { name: 'home' },
    navigate: () => undefined,
    updatePlayer: (patch) => {
      player = { ...player, ...patch };
      void render();
    },
    notify: (notice) => notices.push(notice),
    ...extra,
  });
  const render = async (): Promise<void> => {
    await act(async () => {
      root.render(<GameContext.Provider value={value()}>{ui}</GameContext.Provider>);
    });
  };
  await render();
  return {
    container,
    notices,
    player: () => player,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Lets pending promises (fake API answers) settle inside act. */
export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

export function byText(container: HTMLElement, text: string): HTMLElement | undefined {
  return [...container.querySelectorAll<HTMLElement>('*')].find(
    (element) => element.children.length === 0 && element.textContent === text,
  );
}

export function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => b.getAttribute('aria-label') === name || b.textContent === name,
  );
  if (!found) throw new Error(`no button "${name}" in:\n${container.innerHTML}`);
  return found;
}
