import { memoryDriverFactory } from '../fakes/memory-chat.js';
import { runFtpHistoryContract } from './ftp-history.contract.js';

runFtpHistoryContract(memoryDriverFactory);
