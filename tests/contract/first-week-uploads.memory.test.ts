import { memoryDriverFactory } from '../fakes/memory-chat.js';
import { runFirstWeekContract } from './first-week-uploads.contract.js';

runFirstWeekContract(memoryDriverFactory);
