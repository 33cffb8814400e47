import { memoryDriverFactory } from '../fakes/memory-chat.js';
import { runFirstWeekLoadContract } from './first-week-load.contract.js';

runFirstWeekLoadContract(memoryDriverFactory);
