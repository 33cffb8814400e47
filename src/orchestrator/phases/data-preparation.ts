/**
 * Phase 1, data preparation: records the request's new files, then builds the fact sheet of the
 * period from the stored rides (a run without rides fails here, with words for the athlete).
 */
import { appendAll } from '../../domain/arrays.js';
import { utcDate } from '../../domain/calendar.js';
import type { UploadSummary } from '../../store/store.js';
import { loadFactSheet, type FactSheetDetail } from '../fact-sheet.js';
import type { RunContext } from '../run-context.js';
import { RunFailure } from '../run-failure.js';
import { engineRecord, runPhase } from './run-phase.js';

export interface PreparedData {
  detail: FactSheetDetail;
  /** What the request's files added; null when it brought none. */
  upload: UploadSummary | null;
}

async function recordUpload(ctx: RunContext): Promise<UploadSummary | null> {
  const { request, runId } = ctx;
  if (!request.upload) return null;
  const upload = await ctx.athlete.recordUpload(request.upload.files, {
    activities: request.upload.activities,
    errors: request.upload.errors,
  });
  ctx.emit({
    type: 'phase-progress',
    runId,
    phase: 'data-preparation',
    message: `${upload.new} new, ${upload.duplicates} already there, ${upload.merged} merged`,
  });
  return upload;
}

export function prepareData(ctx: RunContext): Promise<PreparedData> {
  return runPhase(ctx, 'data-preparation', 0, async () => {
    const upload = await recordUpload(ctx);
    // today (the run's clock) fades fitness to now and dates the latest ride
    const built = await loadFactSheet(ctx.athlete, ctx.request.periodMonths ?? 6, undefined, utcDate(ctx.deps.clock()));
    if (!built)
      throw new RunFailure('no-activities', 'There are no rides to analyse yet: send FIT files or your Strava export first.', ctx.runId);
    appendAll(ctx.warnings, built.sheet.warnings);
    const { current } = built.sheet.comparison;
    const others = current.otherSports.reduce((n, o) => n + o.count, 0);
    const note = `${current.activityCount} rides${others > 0 ? ` (+ ${others} other activities)` : ''} from ${built.sheet.period.from} to ${built.sheet.period.to}`;
    return { value: { detail: built, upload }, record: engineRecord(note) };
  });
}
