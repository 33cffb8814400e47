/**
 * The orchestrator as the app builds it with the offline coach (no model, no network) on a fixed
 * clock: what tests that need a real analysis run use.
 */
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { loadPrompts } from '../../src/orchestrator/prompts.js';
import { renderReports } from '../../src/report/render.js';
import type { Store } from '../../src/store/store.js';

export function offlineOrchestrator(store: Store, now: Date): Orchestrator {
  return new Orchestrator({
    store,
    provider: createOfflineCoach(),
    offline: createOfflineCoach(),
    prompts: loadPrompts(),
    clock: () => now,
    renderReports,
  });
}
