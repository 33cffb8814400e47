import { vi } from 'vitest';
import { createMemoryDriverFactory } from '../fakes/memory-chat.js';
import { runFirstWeekPresentationContract } from './first-week-presentation.contract.js';

// In memory there is no attachment limit: the export is one file. Pictures are rendered (Chromium).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });
runFirstWeekPresentationContract(createMemoryDriverFactory({ snapshot: true }), { attachmentLimitBytes: null });
