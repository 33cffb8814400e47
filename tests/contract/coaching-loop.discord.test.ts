/**
 * The coaching-loop contract against the real Discord bot (discord.js) on a fake Discord gateway
 * and REST API on 127.0.0.1; only the timeout is more generous (every step goes over HTTP).
 */
import { vi } from 'vitest';
import { createDiscordDriverFactory, discordApp } from '../fakes/discord-driver.js';
import { runCoachingLoopContract } from './coaching-loop.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runCoachingLoopContract((clock) => ({ factory: createDiscordDriverFactory({ clock }), app: discordApp }));
