/** What every page of the operator's console reaches besides the game's context: the admin API and its texts. */
import type { AdminApi } from '@metagameplay/client';
import type { AdminMessages } from '@metagameplay/game/admin';
import { createContext, useContext } from 'react';

export interface ConsoleContextValue {
  admin: AdminApi;
  c: AdminMessages;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (value === null) throw new Error('useConsole outside <ConsoleContext>');
  return value;
}
