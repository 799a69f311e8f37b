import { createContext, type ReactNode, useContext } from 'react';
import type { CurrentModelBody, MetaJson, VersionJson } from '../api/types';
import type { Resource } from '../api/useResource';
import { useApi } from '../api/useResource';

interface AppData {
  meta: Resource<MetaJson>;
  version: Resource<VersionJson>;
  model: Resource<CurrentModelBody>;
}

const AppDataContext = createContext<AppData | null>(null);

/** What every view shares: metric keys, kinds and settings (/meta), build info (/version), the current model. */
export function AppDataProvider({ children }: { children: ReactNode }) {
  const meta = useApi<MetaJson>('/meta');
  const version = useApi<VersionJson>('/version');
  const model = useApi<CurrentModelBody>('/model');
  return <AppDataContext.Provider value={{ meta, version, model }}>{children}</AppDataContext.Provider>;
}

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (data === null) throw new Error('useAppData outside AppDataProvider');
  return data;
}
