import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, type Clock } from '../../src/store/store.js';

/** A fresh database file in a temp folder; `cleanup()` removes it. */
export function tempStore(clock?: Clock): { store: Store; path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-store-'));
  const path = join(dir, 'test.db');
  const store = Store.open(path, clock ? { clock } : {});
  return {
    store,
    path,
    dir,
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
