/**
 * The first-week presentation contract against the real Discord bot (discord.js) on a fake Discord
 * gateway and REST API on 127.0.0.1, whose interactions carry Discord's default
 * `attachment_size_limit` of 10 MiB (and refuse bigger messages with 413, as Discord does). Only
 * the timeout is more generous: every step goes over the gateway and HTTP.
 */
import { vi } from 'vitest';
import { DEFAULT_ATTACHMENT_LIMIT } from '../../bots/discord/format.js';
import { createDiscordDriverFactory } from '../fakes/discord-driver.js';
import { runFirstWeekPresentationContract } from './first-week-presentation.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runFirstWeekPresentationContract(createDiscordDriverFactory({ snapshot: true }), { attachmentLimitBytes: DEFAULT_ATTACHMENT_LIMIT });
