/**
 * A realistic ReportModel for tests, screenshots and demos: an athlete with FTP 265 W at 70 kg,
 * six months of daily PMC, a 12-week plan whose workouts carry steps, Markdown analysis and 40
 * rides. Deterministic (seeded), no clock. `hostile: true` plants an activity named
 * `<img src=x onerror=alert(1)>` and a goal containing `<script>` to prove the escaping.
 */
import type { Weekday } from '../../src/domain/calendar.js';
import type { Intensity, Phase, Plan, PlanDay, PlanWeek, PlannedWorkout, WorkoutStep, WorkoutType } from '../../src/domain/plan/types.js';
import type { DecouplingPoint, KeyNumber, ReportModel, RideRow, WPrimeBalanceRow } from '../../src/report/report-model.js';
import { mulberry32 } from '../../src/synthetic/random.js';

export const HOSTILE_ACTIVITY_NAME = '<img src=x onerror=alert(1)>';
export const HOSTILE_GOAL = 'Sub-7 h at La Marmotte <script>alert(1)</script> & enjoy it';

export interface ReportFixtureOptions {
  /** Plant hostile strings in an activity name, the goals and the analysis. */
  hostile?: boolean;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** mulberry32: a seeded PRNG so the fixture is the same on every run. */
const random = mulberry32;

const round = (v: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---------------------------------------------------------------- workouts

interface LibraryWorkout {
  id: string;
  name: string;
  type: WorkoutType;
  steps: WorkoutStep[];
  description: string;
}

const warmUp: WorkoutStep = { kind: 'ramp', seconds: 600, fromPercentFtp: 50, toPercentFtp: 75 };
const coolDown: WorkoutStep = { kind: 'ramp', seconds: 600, fromPercentFtp: 70, toPercentFtp: 50 };

const LIBRARY: Record<string, LibraryWorkout> = {
  recovery: {
    id: 'recovery-45',
    name: 'Recovery spin',
    type: 'recovery',
    steps: [{ kind: 'steady', seconds: 2700, percentFtp: 50 }],
    description: '45 min easy (50 % FTP)',
  },
  endurance: {
    id: 'endurance-90',
    name: 'Endurance 90',
    type: 'endurance',
    steps: [warmUp, { kind: 'steady', seconds: 4200, percentFtp: 68 }, coolDown],
    description: '10 min warm-up 50→75 % FTP, 1 h 10 min @ 68 % FTP, 10 min cool-down 70→50 % FTP',
  },
  long: {
    id: 'long-tempo-210',
    name: 'Long ride with tempo',
    type: 'endurance',
    steps: [
      warmUp,
      { kind: 'steady', seconds: 3600, percentFtp: 65 },
      { kind: 'intervals', repeat: 2, on: { seconds: 1200, percentFtp: 82 }, off: { seconds: 600, percentFtp: 62 } },
      { kind: 'steady', seconds: 3000, percentFtp: 65 },
      coolDown,
    ],
    description:
      '10 min warm-up 50→75 % FTP, 1 h @ 65 % FTP, 2×20 min @ 80–84 % FTP, 10 min @ 62 % FTP between, 50 min @ 65 % FTP, 10 min cool-down 70→50 % FTP',
  },
  tempo: {
    id: 'tempo-3x15',
    name: 'Tempo 3×15',
    type: 'tempo',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 3, on: { seconds: 900, percentFtp: 82 }, off: { seconds: 300, percentFtp: 55 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 3×15 min @ 80–84 % FTP, 5 min easy between, 10 min cool-down 70→50 % FTP',
  },
  sweetspot: {
    id: 'sweetspot-3x12',
    name: 'Sweet spot 3×12',
    type: 'sweetspot',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 3, on: { seconds: 720, percentFtp: 90 }, off: { seconds: 300, percentFtp: 55 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 3×12 min @ 88–92 % FTP, 5 min easy between, 10 min cool-down 70→50 % FTP',
  },
  threshold: {
    id: 'threshold-2x20',
    name: 'Threshold 2×20',
    type: 'threshold',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 2, on: { seconds: 1200, percentFtp: 97 }, off: { seconds: 300, percentFtp: 55 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 2×20 min @ 95–99 % FTP, 5 min easy between, 10 min cool-down 70→50 % FTP',
  },
  overUnder: {
    id: 'over-under-3x9',
    name: 'Over-unders 3×9',
    type: 'threshold',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 3, on: { seconds: 120, percentFtp: 95 }, off: { seconds: 60, percentFtp: 108 } },
      { kind: 'steady', seconds: 300, percentFtp: 55 },
      { kind: 'intervals', repeat: 3, on: { seconds: 120, percentFtp: 95 }, off: { seconds: 60, percentFtp: 108 } },
      { kind: 'steady', seconds: 300, percentFtp: 55 },
      { kind: 'intervals', repeat: 3, on: { seconds: 120, percentFtp: 95 }, off: { seconds: 60, percentFtp: 108 } },
      coolDown,
    ],
    description:
      '10 min warm-up 50→75 % FTP, 3 sets of 3×(2 min @ 93–97 % / 1 min @ 106–110 % FTP), 5 min easy between sets, 10 min cool-down',
  },
  vo2: {
    id: 'vo2-5x4',
    name: 'VO2max 5×4',
    type: 'vo2max',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 5, on: { seconds: 240, percentFtp: 115 }, off: { seconds: 240, percentFtp: 50 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 5×4 min @ 113–117 % FTP, 4 min easy between, 10 min cool-down 70→50 % FTP',
  },
  anaerobic: {
    id: 'anaerobic-8x1',
    name: 'Anaerobic 8×1',
    type: 'anaerobic',
    steps: [
      warmUp,
      { kind: 'intervals', repeat: 8, on: { seconds: 60, percentFtp: 135 }, off: { seconds: 180, percentFtp: 50 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 8×1 min @ 133–137 % FTP, 3 min easy between, 10 min cool-down 70→50 % FTP',
  },
  sprints: {
    id: 'sprints-8x15',
    name: 'Sprints 8×15 s',
    type: 'sprint',
    steps: [
      warmUp,
      { kind: 'steady', seconds: 900, percentFtp: 65 },
      { kind: 'intervals', repeat: 8, on: { seconds: 15, percentFtp: 200 }, off: { seconds: 285, percentFtp: 55 } },
      coolDown,
    ],
    description:
      '10 min warm-up 50→75 % FTP, 15 min @ 65 % FTP, 8×15 s @ 198–202 % FTP, 4 min 45 s easy between, 10 min cool-down 70→50 % FTP',
  },
  openers: {
    id: 'openers-45',
    name: 'Openers',
    type: 'endurance',
    steps: [
      warmUp,
      { kind: 'steady', seconds: 900, percentFtp: 65 },
      { kind: 'intervals', repeat: 3, on: { seconds: 60, percentFtp: 110 }, off: { seconds: 120, percentFtp: 55 } },
      coolDown,
    ],
    description: '10 min warm-up 50→75 % FTP, 15 min @ 65 % FTP, 3×1 min @ 108–112 % FTP, 2 min easy between, 10 min cool-down 70→50 % FTP',
  },
};

/** 1 Hz trace in % FTP. */
function trace(steps: readonly WorkoutStep[]): number[] {
  const out: number[] = [];
  for (const step of steps) {
    if (step.kind === 'steady') for (let i = 0; i < step.seconds; i++) out.push(step.percentFtp);
    else if (step.kind === 'ramp')
      for (let i = 0; i < step.seconds; i++)
        out.push(step.fromPercentFtp + ((step.toPercentFtp - step.fromPercentFtp) * (i + 0.5)) / step.seconds);
    else
      for (let r = 0; r < step.repeat; r++) {
        for (let i = 0; i < step.on.seconds; i++) out.push(step.on.percentFtp);
        for (let i = 0; i < step.off.seconds; i++) out.push(step.off.percentFtp);
      }
  }
  return out;
}

/** NP of the trace (30 s rolling mean, 4th-power mean), as IF, and TSS = h × IF² × 100. */
function metrics(steps: readonly WorkoutStep[]): { seconds: number; intensityFactor: number; tss: number } {
  const t = trace(steps);
  let sum = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    sum += t[i]!;
    if (i >= 30) sum -= t[i - 30]!;
    if (i >= 29) {
      acc += (sum / 30) ** 4;
      n++;
    }
  }
  const np = n > 0 ? (acc / n) ** 0.25 : 0;
  const intensityFactor = np / 100;
  return { seconds: t.length, intensityFactor, tss: (t.length / 3600) * intensityFactor * intensityFactor * 100 };
}

const HARD: ReadonlySet<WorkoutType> = new Set(['threshold', 'vo2max', 'anaerobic', 'sprint']);

function planned(w: LibraryWorkout): PlannedWorkout {
  const m = metrics(w.steps);
  const intensity: Intensity =
    HARD.has(w.type) || m.intensityFactor >= 0.85
      ? 'hard'
      : w.type === 'tempo' || w.type === 'sweetspot' || m.intensityFactor >= 0.75
        ? 'moderate'
        : 'easy';
  return {
    id: w.id,
    name: w.name,
    type: w.type,
    intensity,
    durationMinutes: m.seconds / 60,
    tss: round(m.tss, 1),
    intensityFactor: round(m.intensityFactor, 3),
    description: w.description,
    steps: w.steps.map((s) => (s.kind === 'intervals' ? { ...s, on: { ...s.on }, off: { ...s.off } } : { ...s })),
  };
}

/** Key workouts per phase: [Tuesday, Thursday, Saturday, Sunday]; Wednesday is a recovery spin. */
const WEEK_TEMPLATES: Record<Phase, (keyof typeof LIBRARY)[]> = {
  base: ['sweetspot', 'tempo', 'long', 'endurance'],
  build: ['threshold', 'vo2', 'long', 'endurance'],
  peak: ['overUnder', 'anaerobic', 'long', 'sprints'],
  taper: ['vo2', 'openers', 'endurance', 'recovery'],
  recovery: ['endurance', 'sprints', 'endurance', 'recovery'],
};

const PHASES: Phase[] = ['base', 'base', 'base', 'recovery', 'build', 'build', 'build', 'recovery', 'peak', 'peak', 'peak', 'taper'];

function buildPlan(startMonday: string, eventDate: string): Plan {
  const weeks: PlanWeek[] = PHASES.map((phase, i) => {
    const template = WEEK_TEMPLATES[phase];
    const slots: (keyof typeof LIBRARY | null)[] = [
      null,
      template[0]!,
      phase === 'recovery' || phase === 'taper' ? null : 'recovery',
      template[1]!,
      null,
      template[2]!,
      template[3]!,
    ];
    // Load weeks grow: the Sunday ride gains 15 min per week of the block.
    const blockWeek = i % 4;
    const days: PlanDay[] = WEEKDAYS.map((weekday, d) => {
      const key = slots[d];
      const date = addDays(startMonday, i * 7 + d);
      if (!key) return { date, weekday, workouts: [] };
      let workout = LIBRARY[key]!;
      if (d === 6 && key === 'endurance' && phase !== 'recovery' && phase !== 'taper') {
        const minutes = 90 + blockWeek * 15;
        workout = {
          ...workout,
          id: `endurance-${minutes}`,
          name: `Endurance ${minutes}`,
          steps: [warmUp, { kind: 'steady', seconds: (minutes - 20) * 60, percentFtp: 68 }, coolDown],
        };
        workout.description = `10 min warm-up 50→75 % FTP, ${minutes - 20} min @ 68 % FTP, 10 min cool-down 70→50 % FTP`;
      }
      return { date, weekday, workouts: [planned(workout)] };
    });
    const workouts = days.flatMap((d) => d.workouts);
    const plannedTss = round(
      workouts.reduce((s, w) => s + w.tss, 0),
      1,
    );
    const hours = round(workouts.reduce((s, w) => s + w.durationMinutes, 0) / 60, 2);
    const notes: string[] = [];
    if (phase === 'recovery') notes.push('Recovery week: keep every ride conversational except the short sprints.');
    if (phase === 'taper') notes.push('Event week: arrive fresh — the work is done.');
    return {
      week: i + 1,
      phase,
      targetTss: Math.round((plannedTss * 1.03) / 5) * 5,
      plannedTss,
      hours,
      targetHours: round(hours * 2) / 2,
      notes,
      days,
    };
  });
  return {
    startDate: startMonday,
    eventDate,
    weeks,
    notes: ['Plan built for 9–10 hours a week on Tuesday, Wednesday, Thursday, Saturday and Sunday.'],
  };
}

// ---------------------------------------------------------------- exports (.ics / .zwo)

function zwo(w: PlannedWorkout): string {
  const lines: string[] = [];
  for (const s of w.steps ?? []) {
    if (s.kind === 'steady') lines.push(`    <SteadyState Duration="${s.seconds}" Power="${(s.percentFtp / 100).toFixed(2)}"/>`);
    else if (s.kind === 'ramp')
      lines.push(
        `    <${s.toPercentFtp > s.fromPercentFtp ? 'Warmup' : 'Cooldown'} Duration="${s.seconds}" PowerLow="${(s.fromPercentFtp / 100).toFixed(2)}" PowerHigh="${(s.toPercentFtp / 100).toFixed(2)}"/>`,
      );
    else
      lines.push(
        `    <IntervalsT Repeat="${s.repeat}" OnDuration="${s.on.seconds}" OffDuration="${s.off.seconds}" OnPower="${(s.on.percentFtp / 100).toFixed(2)}" OffPower="${(s.off.percentFtp / 100).toFixed(2)}"/>`,
      );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<workout_file>',
    '  <author>domestique</author>',
    `  <name>${w.name}</name>`,
    `  <description>${w.description ?? ''}</description>`,
    '  <sportType>bike</sportType>',
    '  <workout>',
    ...lines,
    '  </workout>',
    '</workout_file>',
    '',
  ].join('\n');
}

function ics(plan: Plan): string {
  const events: string[] = [];
  for (const week of plan.weeks)
    for (const day of week.days)
      day.workouts.forEach((w, i) => {
        const d = day.date.replace(/-/g, '');
        events.push(
          [
            'BEGIN:VEVENT',
            `UID:${day.date}-${i}-${w.id ?? 'workout'}@domestique`,
            'DTSTAMP:20251031T180000Z',
            `DTSTART;VALUE=DATE:${d}`,
            `SUMMARY:${w.name} (${Math.round(w.tss)} TSS)`,
            `DESCRIPTION:${(w.description ?? '').replace(/,/g, '\\,')}`,
            'END:VEVENT',
          ].join('\r\n'),
        );
      });
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//domestique//plan//EN', 'CALSCALE:GREGORIAN', ...events, 'END:VCALENDAR', ''].join(
    '\r\n',
  );
}

// ---------------------------------------------------------------- the model

const CURVE_DURATIONS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800];

/** A rider's curve: the three-parameter CP model P = CP + W′/(t + W′/(Pmax − CP)), sagging beyond 40 min. */
function curve(cp: number, wPrime: number, pmax: number): Record<string, number> {
  const out: Record<string, number> = {};
  const k = wPrime / (pmax - cp);
  for (const t of CURVE_DURATIONS) {
    let p = cp + wPrime / (t + k);
    if (t > 2400) p *= 1 - 0.055 * Math.log(t / 2400);
    out[String(t)] = Math.round(p);
  }
  return out;
}

function keyNumber(label: string, value: number | null, unit: string, previous: number | null, note?: string): KeyNumber {
  if (value === null || previous === null || previous === 0) return { label, value, unit, trend: { percent: null, direction: null }, note };
  const percent = round(((value - previous) / Math.abs(previous)) * 100, 1);
  return { label, value, unit, trend: { percent, direction: Math.abs(percent) < 1 ? 'flat' : percent > 0 ? 'up' : 'down' }, note };
}

const RIDE_NAMES = [
  'Morning ride',
  'Coffee loop',
  'Hill repeats',
  'Group ride',
  'Threshold intervals',
  'Recovery spin',
  'Long Sunday ride',
  'Col de la Madone',
  'Sweet spot 3×12',
  'Commute home',
  'VO2max 5×4',
  'Chaingang',
];

export function buildReportFixture(options: ReportFixtureOptions = {}): ReportModel {
  const rand = random(265_70);
  const to = '2025-10-31';
  const from = '2025-05-01';
  const previousTo = '2025-04-30';
  const previousFrom = '2024-11-01';
  const ftp = 265;
  const weightKg = 70;
  const planStart = '2025-11-03';
  const eventDate = addDays(planStart, 12 * 7 - 1);

  // Daily load with a weekly rhythm and three blocks; CTL/ATL as exponentially weighted means (42 / 7 days).
  const days = daysBetween(from, to) + 1;
  const pmc: ReportModel['pmc'] = [];
  let ctl = 48;
  let atl = 50;
  const weekShape = [0, 1.1, 0.6, 1.0, 0, 1.6, 1.3];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const dow = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    const block = Math.floor(i / 28) % 4 === 3 ? 0.6 : 1 + 0.05 * (Math.floor(i / 28) % 4);
    const base = 55 + (i / days) * 20;
    const load = weekShape[dow]! === 0 ? 0 : Math.round(base * weekShape[dow]! * block * (0.85 + rand() * 0.3));
    const tsb = ctl - atl;
    ctl += (load - ctl) / 42;
    atl += (load - atl) / 7;
    pmc.push({ date, ctl: round(ctl, 1), atl: round(atl, 1), tsb: round(tsb, 1), load });
  }
  const lastPmc = pmc[pmc.length - 1]!;

  const plan = buildPlan(planStart, eventDate);
  const projectedPmc: ReportModel['projectedPmc'] = [];
  let pctl = lastPmc.ctl;
  let patl = lastPmc.atl;
  for (const week of plan.weeks)
    for (const day of week.days) {
      const load = day.workouts.reduce((s, w) => s + w.tss, 0);
      const tsb = pctl - patl;
      pctl += (load - pctl) / 42;
      patl += (load - patl) / 7;
      projectedPmc.push({ date: day.date, ctl: round(pctl, 1), atl: round(patl, 1), tsb: round(tsb, 1) });
    }

  const weeklyLoad: ReportModel['weeklyLoad'] = [];
  for (let i = 0; i + 7 <= pmc.length; i += 7) {
    const slice = pmc.slice(i, i + 7);
    const load = slice.reduce((s, d) => s + d.load, 0);
    weeklyLoad.push({ week: slice[0]!.date, load, hours: round(load / 52, 1), rides: slice.filter((d) => d.load > 0).length });
  }

  // 40 rides over the last ten weeks, newest first. Decoupling and W′ balance draw on their own
  // generator so the older figures stay as they were.
  const rides: RideRow[] = [];
  const wPrimeRows: WPrimeBalanceRow[] = [];
  const extra = random(5_400);
  for (let i = 0; i < 40; i++) {
    const date = addDays(to, -Math.floor(i * 1.75));
    const durationSeconds = Math.round((3600 + rand() * 12600) / 60) * 60;
    const intensityFactor = round(Math.min(0.95, 0.9 - (durationSeconds / 3600 - 1) * 0.07 + (rand() - 0.5) * 0.1), 2);
    const np = Math.round(ftp * intensityFactor);
    const tss = Math.round((durationSeconds / 3600) * intensityFactor * intensityFactor * 100);
    const hasPower = i % 13 !== 7;
    const name = options.hostile && i === 2 ? HOSTILE_ACTIVITY_NAME : i % 11 === 5 ? null : RIDE_NAMES[i % RIDE_NAMES.length]!;
    rides.push({
      date,
      name,
      sport: i % 9 === 4 ? 'virtual ride' : 'ride',
      durationSeconds,
      distanceKm: round((durationSeconds / 3600) * (26 + rand() * 8), 1),
      avgPower: hasPower ? Math.round(np * (0.9 + rand() * 0.05)) : null,
      normalizedPower: hasPower ? np : null,
      tss: hasPower ? tss : null,
      intensityFactor: hasPower ? intensityFactor : null,
      avgHeartRate: Math.round(118 + intensityFactor * 45 + rand() * 6),
      best20MinWatts: hasPower && durationSeconds >= 1200 ? Math.round(Math.min(ftp * 1.06, np * (1.02 + rand() * 0.1))) : null,
      // Longer rides drift more; the newest ones a little less (aerobic fitness improving).
      aerobicDecouplingPercent: hasPower ? round((durationSeconds / 3600) * 1.2 + i * 0.06 + (extra() - 0.5) * 2, 1) : null,
    });
    if (hasPower && (intensityFactor >= 0.85 || name === HOSTILE_ACTIVITY_NAME)) {
      const minPercent = Math.round(8 + extra() * 40);
      wPrimeRows.push({
        date,
        name,
        minKj: round((18_500 * minPercent) / 100 / 1000, 1),
        minPercent,
        secondsAboveCp: Math.round(300 + extra() * 900),
        variabilityIndex: round(1.08 + extra() * 0.12, 2),
      });
    }
  }
  const decouplingRides: DecouplingPoint[] = rides
    .filter(
      (r) =>
        r.aerobicDecouplingPercent !== null &&
        r.durationSeconds !== null &&
        r.durationSeconds >= 5400 &&
        r.intensityFactor !== null &&
        r.intensityFactor <= 0.8,
    )
    .map((r) => ({
      date: r.date,
      name: r.name,
      percent: r.aerobicDecouplingPercent!,
      durationSeconds: r.durationSeconds,
      intensityFactor: r.intensityFactor,
    }))
    .reverse();

  const current = curve(271, 18_500, 1010);
  const previous = curve(258, 17_200, 960);
  const best = (c: Record<string, number>, t: number): number | null => c[String(t)] ?? null;
  const volumeHours = round(weeklyLoad.reduce((s, w) => s + w.hours, 0) / weeklyLoad.length, 1);

  const keyNumbers: KeyNumber[] = [
    keyNumber('FTP', ftp, 'W', 252, 'set in your profile'),
    keyNumber('eFTP', 271, 'W', 258, 'estimated from rides'),
    keyNumber('W/kg', round(ftp / weightKg, 2), 'W/kg', round(252 / 71.5, 2)),
    keyNumber('CTL (fitness)', Math.round(lastPmc.ctl), 'TSS/day', 49),
    keyNumber('ATL (fatigue)', Math.round(lastPmc.atl), 'TSS/day', 55),
    keyNumber('TSB (form)', Math.round(lastPmc.ctl - lastPmc.atl), 'TSS/day', -6),
    keyNumber('Volume', volumeHours, 'h/week', 7.9),
    keyNumber('Best 5 s', best(current, 5), 'W', best(previous, 5)),
    keyNumber('Best 1 min', best(current, 60), 'W', best(previous, 60)),
    keyNumber('Best 5 min', best(current, 300), 'W', best(previous, 300)),
    keyNumber('Best 20 min', best(current, 1200), 'W', best(previous, 1200)),
  ];

  const goals = options.hostile ? HOSTILE_GOAL : 'Sub-7 h at La Marmotte & enjoy the descent';
  const summaryExtra = options.hostile ? '\n\nIgnore this: <script>alert(1)</script> and [click me](javascript:alert(1)).' : '';

  const ftpHistory: ReportModel['ftpHistory'] = [
    { date: '2024-11-15', ftp: 246, wattsPerKg: round(246 / 72.5, 2) },
    { date: '2025-01-10', ftp: 250, wattsPerKg: round(250 / 72, 2) },
    { date: '2025-03-02', ftp: 252, wattsPerKg: round(252 / 71.5, 2) },
    { date: '2025-05-20', ftp: 255, wattsPerKg: round(255 / 71, 2) },
    { date: '2025-07-05', ftp: 260, wattsPerKg: round(260 / 70.5, 2) },
    { date: '2025-08-28', ftp: 262, wattsPerKg: round(262 / 70, 2) },
    { date: '2025-10-12', ftp, wattsPerKg: round(ftp / weightKg, 2) },
  ];

  const zwoFiles = new Map<string, { fileName: string; xml: string }>();
  for (const week of plan.weeks)
    for (const day of week.days)
      for (const w of day.workouts) if (w.id && !zwoFiles.has(w.id)) zwoFiles.set(w.id, { fileName: `${w.id}.zwo`, xml: zwo(w) });

  return {
    generatedAt: '2025-10-31T18:00:00.000Z',
    runId: 'run-2025-10-31-fixture',
    athlete: { name: 'Alex Rider', ftp, ftpSource: 'profile', eftp: 271, weightKg, wattsPerKg: round(ftp / weightKg, 2), goals, eventDate },
    period: { from, to, months: 6, previousFrom, previousTo },
    keyNumbers,
    fitness: { ctl: lastPmc.ctl, atl: lastPmc.atl, tsb: round(lastPmc.ctl - lastPmc.atl, 1), rampRate: 2.4 },
    pmc,
    projectedPmc,
    powerCurve: {
      current,
      previous,
      model: { cp: 271, wPrime: 18_500, confidence: 'good', reason: 'fitted to 3–20 min bests from 5 rides' },
    },
    weeklyLoad,
    zones: {
      power: { current: [21, 37, 17, 13, 7, 4, 1], previous: [26, 41, 15, 10, 5, 2, 1] },
      heartRate: { current: [28, 44, 16, 9, 3], previous: [33, 45, 13, 7, 2] },
      polarization: { easy: 74, moderate: 13, hard: 13, basis: 'time in power zones: Z1–Z2 easy, Z3 moderate, Z4 and above hard' },
    },
    ftpHistory,
    rides,
    aerobicDecoupling: { rule: { minMovingMinutes: 90, maxIntensityFactor: 0.8, goodBelowPercent: 5 }, rides: decouplingRides },
    wPrimeBalance: { cp: 271, wPrimeKj: 18.5, rule: { minVariabilityIndex: 1.1, minMinutesAboveCp: 5 }, rides: wPrimeRows },
    analysis: {
      summary:
        'A **solid six months**: fitness (CTL) rose from 48 to ' +
        `${Math.round(lastPmc.ctl)} TSS/day and your 20-minute best improved by ${best(current, 1200)! - best(previous, 1200)!} W.\n\n` +
        'What drove it:\n\n- consistent *four to five* rides a week\n- a weekly sweet spot session\n- long Sunday rides with tempo' +
        summaryExtra,
      keyTrends: [
        'CTL up 19 TSS/day since May, ramp rate 2.4 TSS/day per week — sustainable.',
        'More time in Z4–Z5 (20 % vs 15 %) without losing endurance volume.',
        'Best 5 min power up 4 %: VO2max is responding.',
      ],
      strengths: [
        {
          title: 'Threshold endurance',
          detail: `Best 20 min **${best(current, 1200)} W** (${round(best(current, 1200)! / weightKg, 2)} W/kg), 6 % above last period.`,
        },
        { title: 'Aerobic durability', detail: 'Power at 2 h is 84 % of FTP; your long rides hold steady to the end.' },
      ],
      limiters: [
        {
          title: 'Short, punchy efforts',
          detail: `Best 1 min **${best(current, 60)} W** (${round(best(current, 60)! / weightKg, 2)} W/kg) is modest for your FTP.`,
          area: 'anaerobic',
        },
        {
          title: 'Sprint',
          detail: `Best 5 s ${best(current, 5)} W (${round(best(current, 5)! / weightKg, 1)} W/kg): fine for a climber, costly in group finishes.`,
          area: 'sprint',
        },
      ],
      insights: [
        'Your FTP rose **13 W** (+5 %) while weight dropped 1.5 kg: W/kg went from 3.52 to 3.79.',
        'Fitness (CTL) is at its highest of the year; form (TSB) is slightly negative — productive fatigue.',
        'Intensity distribution is near *pyramidal*: 74 % easy, 13 % moderate, 13 % hard.',
        'Rides over 3 h are rare (3 in 6 months); La Marmotte will take about 7 h.',
        'Heart rate at endurance pace fell ~4 bpm — a sign of improved aerobic efficiency.',
      ],
      recommendations: {
        shortTerm: [
          'Keep one sweet spot and one VO2max session a week.',
          'Add one 1-minute-effort session every 10 days.',
          'Extend the Sunday ride by 30 min each week up to 4 h.',
        ],
        longTerm: [
          'Build to 5–6 h rides with 2,000 m of climbing by early January.',
          'Retest FTP after the first build block.',
          'Target 3.9–4.0 W/kg by the event.',
        ],
        recovery: [
          'Sleep 8 h on nights before key sessions.',
          'Take 60–90 g of carbohydrate per hour on rides over 2 h.',
          'Keep the recovery weeks truly easy.',
        ],
      },
    },
    plan,
    planNotes: {
      coachingNotes: [
        'Hard days are **Tuesday and Thursday**; keep Wednesday genuinely easy.',
        'If you miss a key session, do not stack it: move on to the next one.',
        'Practise event nutrition on every long ride.',
      ],
      monitoring: [
        'If resting HR is 5+ bpm above normal for 2 days, swap the next hard day for recovery.',
        'Stop intervals if you cannot reach 95 % of target power on two reps in a row.',
        'TSB below −25 TSS/day: take an extra rest day.',
      ],
    },
    planExports: { ics: ics(plan), zwo: [...zwoFiles.values()] },
    run: { provider: 'offline', model: 'offline coach', degraded: false, degradedReason: null, warnings: [] },
    copy: {
      title: 'Training report for Alex Rider',
      intro: `Your rides from 1 May 2025 to 31 Oct 2025, compared with the 6 months before.`,
      footer:
        'Figures computed by domestique from your own files. Narrative by offline. This is coaching advice, not medical advice: see a doctor about pain, illness or unusual heart rates.',
    },
  };
}

/** A model with nothing to chart: no power, no plan, no rides, no PMC. */
export function buildEmptyReportFixture(): ReportModel {
  const full = buildReportFixture();
  return {
    ...full,
    athlete: { ...full.athlete, ftp: null, ftpSource: 'none', eftp: null, weightKg: null, wattsPerKg: null, goals: null, eventDate: null },
    keyNumbers: full.keyNumbers.map((k) => ({ label: k.label, value: null, unit: k.unit, trend: { percent: null, direction: null } })),
    fitness: null,
    pmc: [],
    projectedPmc: [],
    powerCurve: { current: {}, previous: {}, model: null },
    weeklyLoad: [],
    zones: { power: null, heartRate: null, polarization: null },
    ftpHistory: [],
    rides: [],
    aerobicDecoupling: { ...full.aerobicDecoupling, rides: [] },
    wPrimeBalance: null,
    analysis: {
      summary: '',
      keyTrends: [],
      strengths: [],
      limiters: [],
      insights: [],
      recommendations: { shortTerm: [], longTerm: [], recovery: [] },
    },
    plan: null,
    planNotes: null,
    planExports: null,
  };
}
