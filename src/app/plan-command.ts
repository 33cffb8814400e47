/**
 * `plan`: a periodized training plan from a profile and current fitness, checked by validatePlan.
 * `--json` prints the contract shape (README); `--out <dir>` also writes plan.json, plan.ics and, per
 * distinct workout, one Zwift .zwo and one FIT workout (.fit, power targets in watts of the profile's
 * FTP). Bad input: a message on stderr naming what to fix, exit code 2.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, CommanderError } from 'commander';
import { isDate, WEEKDAY_LABELS, WEEKDAYS, zonedDate } from '../domain/calendar.js';
import {
  POWER_ABILITIES,
  formatStepDuration,
  formatViolations,
  generatePlan,
  planInputFromProfile,
  planToIcs,
  planWorkoutFiles,
  predictedOn,
  predictedPmc,
  snapToMonday,
  validatePlan,
  workoutFitFiles,
  type CurrentFitness,
  type Plan,
  type PlanInput,
  type PlanViolation,
  type PowerAbility,
} from '../domain/plan/index.js';
import { weekDays, weekTotals } from '../domain/plan/week-views.js';
import { parseProfileJson } from './profile-json.js';
import { BAD_INPUT_EXIT_CODE, UserError } from './user-error.js';

/** The `--json` contract: exactly these keys. */
export interface PlanJson {
  weeks: {
    week: number;
    phase: string;
    targetTss: number;
    plannedTss: number;
    hours: number;
    days: {
      date: string;
      weekday: string;
      workouts: {
        name: string;
        type: string;
        intensity: 'easy' | 'moderate' | 'hard';
        durationMinutes: number;
        tss: number;
        intensityFactor: number;
      }[];
    }[];
  }[];
  violations: { code: string; message: string }[];
}

export function toPlanJson(plan: Plan, violations: readonly PlanViolation[]): PlanJson {
  return {
    weeks: plan.weeks.map((w) => ({
      ...weekTotals(w),
      days: weekDays(w, (x) => ({
        name: x.name,
        type: x.type,
        intensity: x.intensity,
        durationMinutes: x.durationMinutes,
        tss: x.tss,
        intensityFactor: x.intensityFactor,
      })),
    })),
    violations: violations.map((v) => ({ code: v.code, message: v.message })),
  };
}

/** Bad input to `plan`: the one CLI error, its message prefixed with the command's name. */
class BadInput extends UserError {
  constructor(message: string) {
    super(`plan: ${message}`);
  }
}

function numberOption(name: string, value: string | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new BadInput(`${name} must be ${integer ? 'a whole number ' : 'a number '}from ${min} to ${max} (got "${value}").`);
  }
  return n;
}

function dateOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isDate(value)) throw new BadInput(`${name} must be a date as YYYY-MM-DD (got "${value}").`);
  return value;
}

function abilitiesOption(name: string, value: string | undefined): PowerAbility[] {
  if (value === undefined) return [];
  const items = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const item of items) {
    if (!(POWER_ABILITIES as readonly string[]).includes(item))
      throw new BadInput(`${name}: "${item}" is not one of ${POWER_ABILITIES.join(', ')}.`);
  }
  return items as PowerAbility[];
}

async function profileText(value: string): Promise<{ text: string; source: string }> {
  if (value.trim().startsWith('{')) return { text: value, source: '--profile' };
  try {
    return { text: await readFile(value, 'utf8'), source: value };
  } catch (e) {
    throw new BadInput(
      `--profile: cannot read ${value} (${e instanceof Error && 'code' in e ? String(e.code) : 'error'}). Give a JSON file or the JSON itself.`,
    );
  }
}

interface PlanOptions {
  profile: string;
  weeks?: string;
  eventDate?: string;
  ctl?: string;
  atl?: string;
  limiters?: string;
  strengths?: string;
  start?: string;
  icsTime?: string;
  out?: string;
  json?: boolean;
}

/** The readable calendar. */
export function formatPlan(plan: Plan, input: PlanInput, violations: readonly PlanViolation[]): string {
  const out: string[] = [];
  const first = plan.weeks[0]?.days[0]?.date ?? '';
  const last = plan.weeks[plan.weeks.length - 1]?.days[6]?.date ?? '';
  const who = input.athleteName ? ` for ${input.athleteName}` : '';
  out.push(`Training plan${who}: ${plan.weeks.length} weeks, ${first} to ${last}${plan.eventDate ? `, event on ${plan.eventDate}` : ''}`);
  out.push(
    `FTP ${input.ftp} W · up to ${input.weeklyHours} h a week · training days ${WEEKDAYS.filter((d) => input.trainingDays.includes(d))
      .map((d) => WEEKDAY_LABELS[d])
      .join(', ')} · CTL now ${input.fitness.ctl.toFixed(0)}`,
  );
  if (input.goals) out.push(`Goal: ${input.goals}`);
  const pmc = predictedPmc(plan, input.fitness);
  const end = pmc[pmc.length - 1];
  const event = plan.eventDate ? predictedOn(pmc, plan.eventDate) : undefined;
  if (event)
    out.push(
      `Predicted on the event day: CTL ${event.ctl.toFixed(0)}, ATL ${event.atl.toFixed(0)}, form (TSB) ${event.tsb >= 0 ? '+' : ''}${event.tsb.toFixed(0)}`,
    );
  else if (end)
    out.push(
      `Predicted at the end: CTL ${end.ctl.toFixed(0)}, ATL ${end.atl.toFixed(0)}, form (TSB) ${end.tsb >= 0 ? '+' : ''}${end.tsb.toFixed(0)}`,
    );
  for (const note of plan.notes ?? []) out.push(`Note: ${note}`);
  for (const week of plan.weeks) {
    out.push(
      '',
      `Week ${week.week} · ${week.phase} · target ${week.targetTss} TSS · planned ${week.plannedTss.toFixed(0)} TSS · ${week.hours.toFixed(1)} h`,
    );
    for (const day of week.days) {
      const label = `  ${WEEKDAY_LABELS[day.weekday]} ${day.date.slice(5)}`;
      if (day.date === plan.eventDate) out.push(`${label}  EVENT${input.goals ? `: ${input.goals}` : ''}`);
      else if (day.workouts.length === 0) out.push(`${label}  rest`);
      for (const w of day.workouts) {
        out.push(
          `${label}  ${w.name} (${w.intensity}) · ${formatStepDuration(Math.round(w.durationMinutes * 60))} · ${w.tss.toFixed(0)} TSS · IF ${w.intensityFactor.toFixed(2)}`,
        );
        if (w.description) out.push(`             ${w.description}`);
      }
    }
    for (const note of week.notes ?? []) out.push(`  note: ${note}`);
  }
  out.push('', violations.length === 0 ? 'Checked: the plan passes every rule.' : formatViolations(violations));
  return out.join('\n');
}

/** Writes plan.json, plan.ics and one .zwo and one .fit per distinct workout; returns the paths. */
export async function writePlanFiles(
  dir: string,
  plan: Plan,
  input: PlanInput,
  options: { dtstamp: Date; icsTime?: string | null },
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, content: string | Uint8Array): Promise<void> => {
    const path = join(dir, name);
    await writeFile(path, content);
    written.push(path);
  };
  const athlete = input.athleteName ?? null;
  await put('plan.json', `${JSON.stringify(plan, null, 2)}\n`);
  await put(
    'plan.ics',
    planToIcs(plan, {
      dtstamp: options.dtstamp,
      owner: athlete ?? 'domestique',
      startTime: options.icsTime ?? null,
      calendarName: athlete ? `domestique plan — ${athlete}` : 'domestique plan',
      goal: input.goals,
    }),
  );
  for (const file of planWorkoutFiles(plan, { author: athlete ? `domestique for ${athlete}` : 'domestique', goal: input.goals }))
    await put(file.fileName, file.xml);
  const workouts = plan.weeks.flatMap((week) => week.days.flatMap((d) => d.workouts));
  for (const file of workoutFitFiles(workouts, input.ftp, { timeCreated: options.dtstamp })) await put(file.fileName, file.content);
  return written;
}

/** Adds `plan` to the program. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'Generate a periodized training plan (base → build → peak → taper) from a profile and current fitness; every rule is checked.',
    )
    .requiredOption('--profile <file-or-json>', "profile as a JSON file or inline JSON (our field names or the original tool's)")
    .option('--weeks <n>', "plan length, 4–24 weeks (default: the profile's planWeeks, else 12; an event date decides instead)")
    .option('--event-date <YYYY-MM-DD>', 'target event: the plan runs to its week and tapers into it')
    .option('--ctl <n>', 'current fitness (CTL), 0–250; default 0')
    .option('--atl <n>', 'current fatigue (ATL), 0–400; default: equal to CTL')
    .option('--limiters <list>', `comma-separated limiters from the power curve: ${POWER_ABILITIES.join(', ')}`)
    .option('--strengths <list>', 'comma-separated strengths, same names')
    .option('--start <YYYY-MM-DD>', 'first day; moved forward to a Monday (default: the next Monday, today if Monday)')
    .option('--ics-time <HH:MM>', 'calendar events start at this local time instead of being all-day')
    .option('--out <dir>', 'write plan.json, plan.ics and one .zwo and one .fit (Garmin, Wahoo) per distinct workout into this folder')
    .option('--json', 'print one JSON document')
    // Help is not an error; any other usage error of `plan` is bad input (exit 2), through the CLI's one exit path.
    .exitOverride((e) => {
      throw e.exitCode === 0 ? e : new CommanderError(BAD_INPUT_EXIT_CODE, e.code, e.message);
    })
    .action(runPlan);
}

async function runPlan(options: PlanOptions): Promise<void> {
  const { text, source } = await profileText(options.profile);
  const profile = parseProfileJson(text, source);
  if (!profile.ok) throw new BadInput(profile.error.message);
  const weeks = numberOption('--weeks', options.weeks, 4, 24, true);
  const ctl = numberOption('--ctl', options.ctl, 0, 250, false) ?? 0;
  const atl = numberOption('--atl', options.atl, 0, 400, false);
  const eventDate = dateOption('--event-date', options.eventDate);
  // today in the machine's own time zone
  const start =
    dateOption('--start', options.start) ?? snapToMonday(zonedDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone));
  if (options.icsTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(options.icsTime))
    throw new BadInput(`--ics-time must be HH:MM, 24-hour (got "${options.icsTime}").`);
  const fitness: CurrentFitness = {
    ctl,
    atl: atl ?? ctl,
    limiters: abilitiesOption('--limiters', options.limiters),
    strengths: abilitiesOption('--strengths', options.strengths),
  };

  const input = planInputFromProfile(profile.value, fitness, start, { planWeeks: weeks, eventDate });
  if (!input.ok) throw new BadInput(input.error.map((v) => v.message).join(' '));
  const generated = generatePlan(input.value);
  if (!generated.ok) throw new BadInput(generated.error.map((v) => v.message).join(' '));
  const plan = generated.value;
  const violations = validatePlan(plan, input.value);

  let written: string[] = [];
  if (options.out !== undefined) {
    try {
      written = await writePlanFiles(options.out, plan, input.value, { dtstamp: new Date(), icsTime: options.icsTime ?? null });
    } catch (e) {
      throw new BadInput(`--out: cannot write to ${options.out} (${e instanceof Error ? e.message : String(e)}).`);
    }
  }

  if (options.json) process.stdout.write(`${JSON.stringify(toPlanJson(plan, violations), null, 2)}\n`);
  else process.stdout.write(`${formatPlan(plan, input.value, violations)}\n`);
  if (written.length > 0) {
    const count = (ext: string): number => written.filter((path) => path.endsWith(ext)).length;
    (options.json ? process.stderr : process.stdout).write(
      `Wrote ${written.length} files to ${options.out}: plan.json, plan.ics, ${count('.zwo')} .zwo and ${count('.fit')} .fit workouts.\n`,
    );
  }
  if (violations.length > 0) process.exitCode = 1;
}
