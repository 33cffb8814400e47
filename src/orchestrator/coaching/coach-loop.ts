/**
 * The coaching loop: plan → ride → compare → adapt. The athlete's current plan is a list of
 * versions in the store (the newest is the plan); every new ride is matched to the planned workout
 * it executed (src/domain/coaching/ride-match.ts), the match stored, and the plan adapted when the
 * rides, the athlete's form or what the athlete says call for it (adapt-plan.ts) — each new version
 * re-checked by the plan validator against the input the plan was made from, with every change
 * and its reason. Shared by the chat (uploads, /plan, buttons), the CLI (`import`, `plan status`)
 * and, later, synced rides.
 */
import { zonedDate } from '../../domain/calendar.js';
import { adaptPlan, type CoachSignal } from '../../domain/coaching/adapt-plan.js';
import { ftpSignal } from '../../domain/coaching/ftp-signal.js';
import type { PlanChange, PlanVersion, WorkoutMatch } from '../../domain/coaching/types.js';
import type { Result } from '../../domain/result.js';
import type { AthleteStore, Clock } from '../../store/store.js';
import { fitnessOn } from './fitness-now.js';
import { adoptLegacyPlan } from './legacy-plan.js';
import { replan } from './replan.js';
import { matchNewRides } from './ride-facts.js';

export interface RideOutcome {
  /** The matches of the rides given (extra rides included), in ride order. */
  matches: WorkoutMatch[];
  /** The new version when the plan adapted; null when it did not change. */
  version: PlanVersion | null;
  /** What the rides say about FTP, when they say something (a raise is applied: see `version`). */
  ftpNote: string | null;
}

export interface CoachLoopDeps {
  clock: Clock;
}

export class CoachLoop {
  constructor(private readonly deps: CoachLoopDeps) {}

  /** The athlete's current plan (the newest version; the latest analysis's plan adopted on first use), if any. */
  async currentPlan(athlete: AthleteStore): Promise<PlanVersion | null> {
    return (await athlete.coaching.currentPlanVersion()) ?? (await adoptLegacyPlan(athlete));
  }

  /** New rides: each matched to the plan (or extra), then the plan adapted when they call for it. */
  async afterRides(athlete: AthleteStore, activityIds: readonly string[]): Promise<RideOutcome> {
    const version = await this.currentPlan(athlete);
    if (!version) return { matches: [], version: null, ftpNote: null };
    const now = this.deps.clock();
    const zone = (await athlete.info()).timeZone;
    const matches = await matchNewRides(athlete, version, activityIds, now, zone);
    if (matches.length === 0) return { matches, version: null, ftpNote: null };
    let latest: PlanVersion | null = await this.adapt(athlete, version, { kind: 'rides' });
    const ftp = await this.ftpFromRides(athlete, latest ?? version);
    if (ftp.version) latest = ftp.version;
    return { matches, version: latest, ftpNote: ftp.note };
  }

  /** The athlete's events changed: a new plan from the coming Monday for them (or what to fix in the profile). */
  replan(athlete: AthleteStore, reason: string): Promise<Result<PlanVersion, string>> {
    return replan(athlete, this.deps.clock(), reason);
  }

  /** What the athlete said (ill, tired, travelling, less time) or a new FTP: the new version, or null when nothing changed. */
  async applySignal(athlete: AthleteStore, signal: CoachSignal): Promise<PlanVersion | null> {
    const version = await this.currentPlan(athlete);
    return version ? this.adapt(athlete, version, signal) : null;
  }

  private async adapt(athlete: AthleteStore, version: PlanVersion, signal: CoachSignal, ftp = version.ftp): Promise<PlanVersion | null> {
    const now = this.deps.clock();
    const zone = (await athlete.info()).timeZone;
    const fitness = await fitnessOn(athlete, now, zone);
    const adaptation = adaptPlan({
      version,
      matches: await athlete.coaching.matches(),
      today: zonedDate(now, zone),
      planInput: version.input,
      fitness: { ctl: fitness.ctl, atl: fitness.atl },
      signal,
    });
    if (!adaptation) return null;
    return athlete.coaching.savePlanVersion({
      reason: adaptation.reason,
      changes: adaptation.changes,
      plan: adaptation.plan,
      ftp,
      sourceRunId: null,
      input: ftp === version.input.ftp ? version.input : { ...version.input, ftp },
    });
  }

  /** Repeated sets above target raise FTP (profile and plan, said in the changes); below target, a suggestion only. */
  private async ftpFromRides(athlete: AthleteStore, version: PlanVersion): Promise<{ version: PlanVersion | null; note: string | null }> {
    // only sets judged at the current FTP: after a raise, the older ones no longer speak for it
    const judged = (await athlete.coaching.matches()).filter((m) => m.ftp === version.ftp);
    const signal = ftpSignal(judged, version.ftp, null);
    if (!signal) return { version: null, note: null };
    if (signal.kind !== 'raise') return { version: null, note: signal.text };
    await athlete.updateProfile({ ftp: signal.ftp }, this.deps.clock());
    return { version: await this.rescale(athlete, version, signal.ftp, signal.text), note: signal.text };
  }

  /**
   * The athlete's FTP changed (they said so, or a test): every target of the plan from today in the
   * new watts, as a version that says so; null without a plan or when the plan already uses it.
   */
  async newFtp(athlete: AthleteStore, ftp: number): Promise<PlanVersion | null> {
    const version = await this.currentPlan(athlete);
    if (!version || version.ftp === ftp) return null;
    return this.rescale(athlete, version, ftp, `From today your targets use FTP ${ftp} W (was ${version.ftp} W).`);
  }

  private async rescale(athlete: AthleteStore, version: PlanVersion, ftp: number, text: string): Promise<PlanVersion> {
    const next = await this.adapt(athlete, version, { kind: 'ftp', ftp, previousFtp: version.ftp }, ftp);
    return next ?? this.rescaled(athlete, version, ftp, text);
  }

  /** A new FTP with no workout to change: a version that says so. */
  private async rescaled(athlete: AthleteStore, version: PlanVersion, ftp: number, text: string): Promise<PlanVersion> {
    const change: PlanChange = { kind: 'ftp', text };
    return athlete.coaching.savePlanVersion({
      reason: `New FTP ${ftp} W`,
      changes: [change],
      plan: version.plan,
      ftp,
      sourceRunId: null,
      input: { ...version.input, ftp },
    });
  }
}
