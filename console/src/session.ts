import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { allowedOperations, apiClient, must, type Api, type Schemas } from './api/client';

export type Me = Schemas['api.meta.me'];

export interface Session {
  key: string;
  me: Me;
  api: Api;
  /** operationIds this key's role may call (from the OpenAPI document). */
  allowed: Set<string>;
}

/** The key lives in sessionStorage: it survives reloads of this tab, never leaves it, and never enters a URL. */
const STORAGE_KEY = 'hookhub.console.key';

export const storedKey = (): string | null => window.sessionStorage.getItem(STORAGE_KEY);

export async function openSession(key: string): Promise<Session> {
  const api = apiClient(key);
  const me = await must(api.GET('/me'));
  const allowed = await allowedOperations(me.role);
  window.sessionStorage.setItem(STORAGE_KEY, key);
  return { key, me, api, allowed };
}

export function forgetKey(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Whether the key may call an operation; write buttons render only when it may. */
export function useCan(operationId: string): boolean {
  return useSession().allowed.has(operationId);
}
