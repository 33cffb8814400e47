/**
 * `npm run discord:register [-- --guild <id>]`: registers the Discord slash commands the bot uses
 * (bots/discord/commands.ts), globally or for one server (at once; global commands can take up to
 * an hour to appear). Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config.js';
import { registerCommands } from './discord/register.js';

const USAGE = 'usage: npm run discord:register [-- --guild <server id>]\n';

function guildOption(): string | null {
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { guild: { type: 'string' } } });
    return values.guild ?? null;
  } catch (error) {
    process.stderr.write(`domestique: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const guildId = guildOption();
  const config = loadConfigOrExit();
  if (!config.discord.token || !config.discord.applicationId) {
    process.stderr.write(
      'domestique: set DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env first (Discord developer portal → your application).\n',
    );
    process.exit(2);
  }
  try {
    const result = await registerCommands({
      token: config.discord.token,
      applicationId: config.discord.applicationId,
      apiBase: config.discord.apiBase,
      guildId,
    });
    const where = result.scope === 'guild' ? `for server ${guildId}` : 'globally';
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(' ')}\n`);
  } catch (e) {
    process.stderr.write(`domestique: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

await main();
