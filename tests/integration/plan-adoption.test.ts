/**
 * How a plan becomes the athlete's current plan: an analysis's plan is adopted when the run is done
 * (version 1, every workout keyed, the input it was made from, valid against it); an athlete whose
 * latest analysis predates the coaching loop gets that plan adopted on first use. On each engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validatePlan } from '../../src/domain/plan/index.js';
import { CoachLoop } from '../../src/orchestrator/coaching/coach-loop.js';
import { offlineOrchestrator } from '../support/offline-orchestrator.js';
import { seedAthlete } from '../support/athlete.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const NOW = new Date('2026-11-24T12:00:00Z');

async function analysed(engine: EngineUnderTest) {
  const s = await engine.tempStore(() => NOW);
  cleanups.push(s.cleanup);
  const athleteId = await seedAthlete(s.store);
  const orchestrator = offlineOrchestrator(s.store, NOW);
  const result = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' });
  return { exec: s.exec, athlete: s.store.athlete(athleteId), result };
}

describe.each(storeEngines())('the current plan on $name', (engine) => {
  it("is the analysis's plan once the run is done: version 1, keyed, valid against its input", async () => {
    const { athlete, result } = await analysed(engine);
    const versions = await athlete.coaching.planVersions();
    expect(versions).toHaveLength(1);
    const v = versions[0]!;
    expect(v.sourceRunId).toBe(result.runId);
    expect(v.reason).toBe('New analysis');
    expect(v.plan.weeks.map((w) => w.days.map((d) => d.workouts.length))).toEqual(
      result.report.plan!.weeks.map((w) => w.days.map((d) => d.workouts.length)),
    );
    const keys = v.plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((x) => x.key)));
    expect(keys.every((k) => typeof k === 'string')).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(v.input.startDate).toBe('2026-11-30');
    expect(v.ftp).toBe(v.input.ftp);
    expect(validatePlan(v.plan, v.input)).toEqual([]);
    // the report offers each workout for the head unit too: a FIT file at the plan's FTP
    const fit = result.report.planExports!.fit!;
    expect(fit.length).toBe(result.report.planExports!.zwo.length);
    const bytes = Buffer.from(fit[0]!.base64, 'base64');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('.FIT');
    const insights = result.files.find((f) => f.fileName === 'coaching_insights.html')!.content;
    expect(insights).toContain(`download="${fit[0]!.fileName}"`);
    expect(insights).toContain('data:application/vnd.ant.fit;base64,');
  }, 60_000);

  it('of an athlete analysed before the coaching loop is the latest analysis plan, adopted on first use', async () => {
    const { exec, athlete, result } = await analysed(engine);
    await exec('delete from plan_versions');
    expect(await athlete.coaching.currentPlanVersion()).toBeNull();
    const adopted = (await new CoachLoop({ clock: () => NOW }).currentPlan(athlete))!;
    expect(adopted.version).toBe(1);
    expect(adopted.sourceRunId).toBe(result.runId);
    expect(adopted.reason).toBe('The plan of your latest analysis');
    expect(adopted.input.ftp).toBe(260);
    expect(adopted.plan.weeks).toHaveLength(result.report.plan!.weeks.length);
    // adopted once: the second call reads it
    expect((await new CoachLoop({ clock: () => NOW }).currentPlan(athlete))!.version).toBe(1);
    expect(await athlete.coaching.planVersions()).toHaveLength(1);
  }, 60_000);
});
