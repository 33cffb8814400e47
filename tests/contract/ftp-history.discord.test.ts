/**
 * The FTP history contract against the real Discord bot (discord.js) on a fake Discord gateway
 * and REST API on 127.0.0.1. The suite is shared, unchanged; only the timeout is more generous,
 * because every step here goes over the gateway and HTTP.
 */
import { vi } from 'vitest';
import { discordDriverFactory } from '../fakes/discord-driver.js';
import { runFtpHistoryContract } from './ftp-history.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runFtpHistoryContract(discordDriverFactory);
