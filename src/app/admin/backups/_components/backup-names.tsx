'use client';

import { createContext, type ReactNode, useContext } from 'react';

const BackupNames = createContext<Readonly<Record<string, string>>>({});

/**
 * The file names of the backups on the page, by id, for the parts that only
 * get ids from the server (a retention preview). Given once by the page
 * rather than to every schedule's form.
 */
export function BackupNamesProvider({ names, children }: { names: Readonly<Record<string, string>>; children: ReactNode }) {
  return <BackupNames.Provider value={names}>{children}</BackupNames.Provider>;
}

/** A backup's file name, or undefined when the page does not list it. */
export function useBackupName(id: string): string | undefined {
  return useContext(BackupNames)[id];
}
