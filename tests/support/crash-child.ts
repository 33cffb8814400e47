/**
 * A process for the crash tests, killed with SIGKILL by the parent at a moment it chooses.
 *   upload <db>: records uploads of 50 activities each, forever, printing "UPLOAD n" before each.
 *   run <db>:    starts an analysis of the athlete `telegram:1` and prints "RUNNING <runId>" when it starts.
 */
import { createChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';
import { syntheticRideBytes } from './synthetic-files.js';

const [mode, db] = process.argv.slice(2);
if (!db) throw new Error('usage: crash-child.ts <upload|run> <db>');

if (mode === 'upload') {
  const store = await Store.open(db);
  const athlete = store.athlete((await store.athleteForIdentity('telegram:1', 'Crash')).id);
  const decoded = decodeFit(syntheticRideBytes(1, new Date('2026-01-01T08:00:00Z'), 120), 'r.fit');
  if (!decoded.ok) throw new Error(decoded.error.message);
  const template = decoded.value[0]!;
  for (let n = 0; ; n++) {
    // distinct per process, so that a second run adds new activities rather than duplicates
    const base = template.startTime.getTime() + process.pid * 10_000 * 3_600_000;
    const activities = Array.from({ length: 50 }, (_, i) => ({
      ...template,
      id: `${process.pid}-${n}-${i}`,
      sourceHash: `hash-${process.pid}-${n}-${i}`,
      startTime: new Date(base + (n * 50 + i) * 3_600_000),
    }));
    process.stdout.write(`UPLOAD ${n}\n`);
    await athlete.recordUpload([`batch-${n}`], { activities, errors: [] });
  }
} else if (mode === 'run') {
  const app = await createChatApp(loadConfig({ DATABASE_PATH: db }), createLogger('silent'), { snapshot: false, processMetrics: false });
  const athleteId = (await app.store.findByIdentity('telegram:1'))!.id;
  const outcome = await app.analysis.start(athleteId, {
    onEvent: (e) => {
      if (e.type === 'phase-started' && e.phase === 'data-preparation') process.stdout.write(`RUNNING ${e.runId}\n`);
    },
  });
  if (!outcome.ok) throw new Error('busy');
  await outcome.run.result;
  process.stdout.write('FINISHED\n');
}
