/**
 * A process for the backfill resume test: the chat app on <db> with the intervals.icu fake at
 * <api base>, its sync engine started as claimant <name> with a short lease (a job claimed by a
 * killed process is taken over quickly). Each message the engine posts or edits for `telegram:1` is
 * printed as `POST <json>` / `EDIT <json>`; `DONE` once the backfill has finished.
 */
import { createChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatThread, Reply } from '../../src/conversation/port.js';
import { createLogger } from '../../src/logger.js';

const [db, apiBase, claimant, secretsKey] = process.argv.slice(2);
if (!db || !apiBase || !claimant || !secretsKey) throw new Error('usage: sync-child.ts <db> <intervals api base> <claimant> <secrets key>');

const app = await createChatApp(
  loadConfig({ DATABASE_PATH: db, INTERVALS_API_BASE: apiBase, SECRETS_KEY: secretsKey, INTERVALS_POLL_MINUTES: '60' }),
  createLogger('silent'),
  { snapshot: false, processMetrics: false, claimant, syncLeaseMs: 300 },
);
let posted = 0;
const thread: ChatThread = {
  athleteKey: 'telegram:1',
  displayName: 'Resume',
  isPrivate: true,
  maxDownloadBytes: 20 * 1024 * 1024,
  async post(reply: Reply) {
    process.stdout.write(`POST ${JSON.stringify(reply.text)}\n`);
    return { id: `${claimant}-${++posted}` };
  },
  async edit(ref, reply: Reply) {
    process.stdout.write(`EDIT ${JSON.stringify({ id: ref.id, text: reply.text })}\n`);
  },
  async sendFiles() {},
};
app.directories.add({ open: (key) => (key === 'telegram:1' ? thread : null) });
app.sync.start();
const athlete = app.store.athlete((await app.store.findByIdentity('telegram:1'))!.id);
let done = false;
const timer = setInterval(() => {
  void athlete.sync.connection('intervals').then((connection) => {
    // a slow read may overlap the next tick's: DONE once
    if (done || !connection?.backfill?.finishedAt) return;
    done = true;
    clearInterval(timer);
    process.stdout.write('DONE\n');
    void app.sync.stop().then(() => app.close().then(() => process.exit(0)));
  });
}, 50);
