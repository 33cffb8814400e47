/**
 * The sync contract on the real Discord bot (discord.js) against the fake gateway and REST API:
 * `/connect intervals` is a slash command, the key goes in a DM (Discord bots cannot delete a
 * user's DM; the interaction itself is never shown to anyone else).
 */
import { vi } from 'vitest';
import { createDiscordDriverFactory, discordApp } from '../fakes/discord-driver.js';
import { runSyncContract } from './sync.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runSyncContract('discord', ({ env, clock }) => ({
  factory: createDiscordDriverFactory({ clock }, 'discord', env),
  app: discordApp,
  deletesKeyMessage: false,
}));
