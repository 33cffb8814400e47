import { vi } from 'vitest';
import { createTelegramDriverFactory } from '../fakes/telegram-driver.js';
import { offlineCoachWithLatency } from '../fakes/scripted-provider.js';
import { runFirstWeekPresentationContract } from './first-week-presentation.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1; Telegram takes documents up to 50 MB,
// so a year's export is one file. Pictures are rendered (Chromium).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runFirstWeekPresentationContract(createTelegramDriverFactory({ provider: offlineCoachWithLatency(100), snapshot: true }), {
  attachmentLimitBytes: 50 * 1024 * 1024,
});
