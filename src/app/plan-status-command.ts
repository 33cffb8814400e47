/**
 * `plan status --db <file> --athlete <name> [--json]`: the athlete's current plan (the newest
 * version the coaching loop keeps) with each workout's state — planned, done, partial, missed,
 * moved — and its compliance, the extra rides, and every change with its reason. `--json` prints
 * the contract shape (README); the text is a week per block marked ✓ ◐ ✗ ↻ +. A missing
 * database, athlete or plan: a message on stderr, exit code 2.
 *
 * A subcommand of `plan`: `plan`'s own options are read before the word `status` only, and its
 * required options are required of `plan` itself, not of `plan status`.
 */
import { existsSync } from 'node:fs';
import { Command, CommanderError, type Option } from 'commander';
import { dbOption } from './db-option.js';
import { WEEKDAY_LABELS, weekdayOf, zonedDate } from '../domain/calendar.js';
import { droppedWorkouts, workoutStatuses, type WorkoutStatus } from '../domain/coaching/plan-state.js';
import type { PlanVersion, WorkoutMatch } from '../domain/coaching/types.js';
import { round } from '../domain/numbers.js';
import type { Config } from '../config.js';
import { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import { Store, type AthleteStore } from '../store/store.js';
import { intervalsJson, intervalsText, STATE_MARKS, type IntervalJson } from './coaching-json.js';
import { cliIdentity } from './import.js';
import { BAD_INPUT_EXIT_CODE, UserError } from './user-error.js';

/** The `--json` contract: exactly these keys. */
interface PlanStatusJson {
  athlete: string;
  version: number;
  ftp: number;
  reason: string;
  workouts: {
    workoutId: string;
    date: string;
    weekday: string;
    week: number;
    name: string;
    type: string;
    state: WorkoutStatus['state'];
    plannedTss: number;
    plannedMinutes: number;
    compliance: { status: WorkoutMatch['status']; doneTss: number; doneMinutes: number; intervals: IntervalJson[] } | null;
  }[];
  extras: { activityId: string; date: string; doneTss: number; doneMinutes: number }[];
  changes: { version: number; date: string; reason: string; text: string }[];
}

/** What `plan status` shows: the athlete, the current version, every version (its changes), each workout's state. */
interface PlanStatus {
  athlete: string;
  current: PlanVersion;
  versions: PlanVersion[];
  statuses: WorkoutStatus[];
  today: string;
  zone: string;
}

function planStatusJson(s: PlanStatus): PlanStatusJson {
  return {
    athlete: s.athlete,
    version: s.current.version,
    ftp: s.current.ftp,
    reason: s.current.reason,
    workouts: s.statuses
      .filter((w) => w.state !== 'extra')
      .map((w) => ({
        workoutId: w.key,
        date: w.date,
        weekday: w.weekday,
        week: w.week,
        name: w.name,
        type: w.type,
        state: w.state,
        plannedTss: round(w.tss, 1),
        plannedMinutes: round(w.durationMinutes, 1),
        compliance: w.match
          ? {
              status: w.match.status,
              doneTss: round(w.match.session.doneTss, 1),
              doneMinutes: round(w.match.session.doneMinutes, 1),
              intervals: intervalsJson(w.match.intervals),
            }
          : null,
      })),
    extras: s.statuses
      .filter((w) => w.state === 'extra' && w.match !== null)
      .map((w) => ({
        activityId: w.match!.activityId,
        date: w.date,
        doneTss: round(w.match!.session.doneTss, 1),
        doneMinutes: round(w.match!.session.doneMinutes, 1),
      })),
    changes: s.versions.flatMap((v) =>
      v.changes.map((c) => ({ version: v.version, date: zonedDate(v.createdAt, s.zone), reason: v.reason, text: c.text })),
    ),
  };
}

/** One workout's line: mark, day, name, planned figures, and what was done. */
function workoutLine(w: WorkoutStatus): string {
  const day = (date: string) => `${WEEKDAY_LABELS[weekdayOf(date)]} ${date.slice(5)}`;
  const head = `  ${STATE_MARKS[w.state]} ${day(w.date)}  ${w.name} · ${round(w.durationMinutes)} min · ${round(w.tss)} TSS`;
  if (w.state === 'extra') return `${head} — extra`;
  const said: string[] = [];
  if (w.match) {
    const intervals = intervalsText(w.match.intervals);
    said.push(
      `${w.state}: ${round(w.match.session.doneTss)} TSS in ${round(w.match.session.doneMinutes)} min${intervals ? `; ${intervals}` : ''}`,
    );
  } else if (w.state === 'missed') said.push('missed');
  if (w.movedFrom) said.push(`moved from ${day(w.movedFrom)}`);
  if (w.note) said.push(w.note);
  return said.length > 0 ? `${head} — ${said.join('; ')}` : head;
}

function formatPlanStatus(s: PlanStatus): string {
  const { current } = s;
  const count = (state: WorkoutStatus['state']) => s.statuses.filter((w) => w.state === state).length;
  const out = [
    `${s.athlete}'s plan — version ${current.version}, FTP ${current.ftp} W (${current.reason})`,
    `Today ${s.today}: ${count('done')} done, ${count('partial')} partial, ${count('missed')} missed, ${count('moved')} moved, ${count('extra')} extra, ${count('planned')} to come.`,
  ];
  for (const week of current.plan.weeks) {
    const first = week.days[0]?.date ?? '';
    const last = week.days.at(-1)?.date ?? '';
    out.push('', `Week ${week.week} · ${week.phase} · ${first} to ${last} · planned ${round(week.plannedTss)} TSS`);
    const lines = s.statuses.filter((w) => w.week === week.week).map(workoutLine);
    out.push(...(lines.length > 0 ? lines : ['  rest week']));
  }
  out.push('', 'Changes');
  for (const v of s.versions) {
    out.push(`  v${v.version} ${zonedDate(v.createdAt, s.zone)} · ${v.reason}`);
    for (const c of v.changes) out.push(`      ${c.text}`);
  }
  out.push('', `${Object.values(STATE_MARKS).join(' ')} = ${Object.keys(STATE_MARKS).join(', ')}`);
  return out.join('\n');
}

/** The athlete's plan status now, read from the database at `path`; a UserError when there is nothing to show. */
async function readPlanStatus(path: string, name: string, busyTimeoutMs: number, now: Date): Promise<PlanStatus> {
  if (!existsSync(path)) throw new UserError(`plan status: no database at ${path} (import rides first: import --db ${path} --athlete …).`);
  const store = await Store.open(path, { busyTimeoutMs });
  try {
    const record = await store.findByIdentity(cliIdentity(name));
    if (!record)
      throw new UserError(`plan status: no athlete "${name.trim()}" in ${path} (import rides first: import --athlete "${name.trim()}").`);
    const athlete: AthleteStore = store.athlete(record.id);
    const current = await new CoachLoop({ clock: () => now }).currentPlan(athlete);
    if (!current)
      throw new UserError(
        `plan status: ${record.displayName} has no plan yet. Run generate --db ${path} with "name": "${record.displayName}" in the profile.`,
      );
    const zone = record.timeZone;
    const today = zonedDate(now, zone);
    const versions = await athlete.coaching.planVersions();
    const statuses = workoutStatuses(current.plan, await athlete.coaching.matches(), today, droppedWorkouts(versions));
    return { athlete: record.displayName, current, versions, statuses, today, zone };
  } finally {
    await store.close();
  }
}

/**
 * Adds `status` under the registered `plan` command. `plan`'s options stop at the subcommand's name
 * (so `plan status --json` is the status's `--json`), and `plan`'s required options are checked
 * when `plan` itself runs rather than by commander, which would ask `plan status` for them too.
 */
export function registerPlanStatusCommand(program: Command, config: Pick<Config, 'storeLocation' | 'databaseBusyTimeoutMs'>): void {
  const plan = program.commands.find((c) => c.name() === 'plan');
  if (!plan) throw new Error('register the plan command before plan status');
  // the parent's options end where a subcommand's name begins, at both levels: `plan status --json` is the status's
  program.enablePositionalOptions();
  plan.enablePositionalOptions();
  const required: Option[] = plan.options.filter((o) => o.mandatory);
  for (const option of required) option.mandatory = false;
  plan.hook('preAction', (_plan, actionCommand) => {
    if (actionCommand !== plan) return;
    const missing = required.find((o) => plan.getOptionValue(o.attributeName()) === undefined);
    if (missing)
      plan.error(`error: required option '${missing.flags}' not specified`, {
        code: 'commander.missingMandatoryOptionValue',
        exitCode: BAD_INPUT_EXIT_CODE,
      });
  });
  const status = new Command('status')
    .description(
      "The athlete's current plan: each workout's state (planned, done, partial, missed, moved), its compliance, extra rides and changes.",
    )
    .requiredOption('--athlete <name>', 'the athlete (as named on import)')
    .addOption(dbOption(config))
    .option('--json', 'print one JSON document')
    .copyInheritedSettings(plan)
    // any usage error of `plan status` is bad input (exit 2); help is not an error
    .exitOverride((e) => {
      throw e.exitCode === 0 ? e : new CommanderError(BAD_INPUT_EXIT_CODE, e.code, e.message);
    })
    .action(async (options: { athlete: string; db: string; json?: boolean }) => {
      const status = await readPlanStatus(options.db, options.athlete, config.databaseBusyTimeoutMs, new Date());
      process.stdout.write(options.json ? `${JSON.stringify(planStatusJson(status), null, 2)}\n` : `${formatPlanStatus(status)}\n`);
    });
  plan.addCommand(status);
}
