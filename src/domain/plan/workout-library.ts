/**
 * The workout library, as data. Every structured session is a warm-up, a main set and a cool-down
 * in % FTP; each also exists with 30, 60 and 90 min of endurance riding added before the cool-down,
 * so the selection can fill a week's hours without changing what the session trains. Endurance
 * and recovery rides come in several flavours (50, 56 and ~68 % FTP) from 30 min, every 5 min up to an
 * hour (endurance: 90 min) then every 15 (endurance up to 6 h).
 * Duration, IF, TSS and the intensity class are computed from the steps (workout-metrics.ts).
 */
import { describeSteps } from './describe-workout.js';
import type { Workout, WorkoutStep, WorkoutType } from './types.js';
import { workoutMetrics } from './workout-metrics.js';

const MIN = 60;

const warmUp = (minutes = 10): WorkoutStep => ({ kind: 'ramp', seconds: minutes * MIN, fromPercentFtp: 50, toPercentFtp: 75 });
const coolDown = (minutes = 10): WorkoutStep => ({ kind: 'ramp', seconds: minutes * MIN, fromPercentFtp: 70, toPercentFtp: 50 });
const steady = (minutes: number, percentFtp: number): WorkoutStep => ({ kind: 'steady', seconds: minutes * MIN, percentFtp });
const steadySeconds = (seconds: number, percentFtp: number): WorkoutStep => ({ kind: 'steady', seconds, percentFtp });
const repeat = (times: number, onSeconds: number, onPercent: number, offSeconds: number, offPercent: number): WorkoutStep => ({
  kind: 'intervals',
  repeat: times,
  on: { seconds: onSeconds, percentFtp: onPercent },
  off: { seconds: offSeconds, percentFtp: offPercent },
});

/** `count` sets of `block`, with `between` after each set but the last. */
const sets = (count: number, block: WorkoutStep, between: WorkoutStep): WorkoutStep[] =>
  Array.from({ length: count }, (_, i) => (i === 0 ? [block] : [between, block])).flat();

interface Template {
  id: string;
  name: string;
  type: WorkoutType;
  steps: WorkoutStep[];
}

/** A structured session: a warm-up of `warmUpMinutes`, the main set, a 10-min cool-down. */
const session = (id: string, name: string, type: WorkoutType, warmUpMinutes: number, main: WorkoutStep[]): Template => ({
  id,
  name,
  type,
  steps: [warmUp(warmUpMinutes), ...main, coolDown()],
});

/** Structured sessions (before their endurance extensions). */
const TEMPLATES: Template[] = [
  // Tempo, 76–87 % FTP: muscular endurance.
  session('tempo-2x20', 'Tempo 2×20', 'tempo', 10, [repeat(2, 20 * MIN, 80, 5 * MIN, 60)]),
  session('tempo-3x15', 'Tempo 3×15', 'tempo', 10, [repeat(3, 15 * MIN, 82, 5 * MIN, 60)]),
  session('tempo-45', 'Tempo 45 min', 'tempo', 15, [steady(45, 80)]),
  session('tempo-60', 'Tempo 60 min', 'tempo', 10, [steady(60, 78)]),
  session('tempo-2x30', 'Tempo 2×30', 'tempo', 10, [repeat(2, 30 * MIN, 80, 5 * MIN, 60)]),
  session('tempo-3x20', 'Tempo 3×20', 'tempo', 10, [repeat(3, 20 * MIN, 80, 5 * MIN, 60)]),
  session('tempo-4x15', 'Tempo 4×15', 'tempo', 10, [repeat(4, 15 * MIN, 83, 5 * MIN, 60)]),
  // Sweet spot, 88–93 % FTP.
  session('sweetspot-2x15', 'Sweet spot 2×15', 'sweetspot', 10, [repeat(2, 15 * MIN, 90, 5 * MIN, 55)]),
  session('sweetspot-3x10', 'Sweet spot 3×10', 'sweetspot', 10, [repeat(3, 10 * MIN, 90, 5 * MIN, 55)]),
  session('sweetspot-3x12', 'Sweet spot 3×12', 'sweetspot', 10, [repeat(3, 12 * MIN, 90, 4 * MIN, 55)]),
  session('sweetspot-2x20', 'Sweet spot 2×20', 'sweetspot', 10, [repeat(2, 20 * MIN, 89, 5 * MIN, 55)]),
  session('sweetspot-4x10', 'Sweet spot 4×10', 'sweetspot', 10, [repeat(4, 10 * MIN, 91, 4 * MIN, 55)]),
  session('sweetspot-3x15', 'Sweet spot 3×15', 'sweetspot', 10, [repeat(3, 15 * MIN, 89, 5 * MIN, 55)]),
  session('sweetspot-40', 'Sweet spot 40 min', 'sweetspot', 10, [steady(40, 88)]),
  session('sweetspot-3x20', 'Sweet spot 3×20', 'sweetspot', 10, [repeat(3, 20 * MIN, 88, 5 * MIN, 55)]),
  // Threshold, 95–105 % FTP.
  session('threshold-2x10', 'Threshold 2×10', 'threshold', 15, [repeat(2, 10 * MIN, 100, 5 * MIN, 55)]),
  session('threshold-30', 'Threshold 30 min', 'threshold', 15, [steady(30, 95)]),
  session(
    'threshold-over-under',
    'Threshold over-unders 3×9',
    'threshold',
    15,
    sets(3, repeat(3, 2 * MIN, 95, 1 * MIN, 105), steady(5, 55)),
  ),
  session('threshold-2x15', 'Threshold 2×15', 'threshold', 15, [repeat(2, 15 * MIN, 97, 5 * MIN, 55)]),
  session('threshold-3x10', 'Threshold 3×10', 'threshold', 15, [repeat(3, 10 * MIN, 98, 5 * MIN, 55)]),
  session('threshold-4x8', 'Threshold 4×8', 'threshold', 15, [repeat(4, 8 * MIN, 100, 4 * MIN, 55)]),
  session('threshold-3x12', 'Threshold 3×12', 'threshold', 15, [repeat(3, 12 * MIN, 97, 4 * MIN, 55)]),
  session('threshold-2x20', 'Threshold 2×20', 'threshold', 15, [repeat(2, 20 * MIN, 95, 5 * MIN, 55)]),
  // VO2max, 106–120 % FTP.
  session('vo2max-40-20', 'VO2max 2×10×40/20', 'vo2max', 15, sets(2, repeat(10, 40, 118, 20, 50), steady(5, 55))),
  session('vo2max-30-30', 'VO2max 2×12×30/30', 'vo2max', 15, sets(2, repeat(12, 30, 120, 30, 50), steady(5, 55))),
  session('vo2max-5x3', 'VO2max 5×3', 'vo2max', 15, [repeat(5, 3 * MIN, 115, 3 * MIN, 50)]),
  session('vo2max-3x6', 'VO2max 3×6', 'vo2max', 15, [repeat(3, 6 * MIN, 106, 5 * MIN, 50)]),
  session('vo2max-6x3', 'VO2max 6×3', 'vo2max', 15, [repeat(6, 3 * MIN, 115, 3 * MIN, 50)]),
  session('vo2max-5x4', 'VO2max 5×4', 'vo2max', 15, [repeat(5, 4 * MIN, 110, 4 * MIN, 50)]),
  session('vo2max-4x5', 'VO2max 4×5', 'vo2max', 15, [repeat(4, 5 * MIN, 108, 5 * MIN, 50)]),
  // Anaerobic capacity, 121–150 % FTP.
  session('anaerobic-2x6x30s', 'Anaerobic 2×6×30 s', 'anaerobic', 15, [
    ...sets(2, repeat(6, 30, 150, 30, 50), steady(5, 55)),
    steady(10, 65),
  ]),
  session('anaerobic-8x1', 'Anaerobic 8×1 min', 'anaerobic', 15, [repeat(8, 1 * MIN, 130, 2 * MIN, 50)]),
  session('anaerobic-6x90s', 'Anaerobic 6×90 s', 'anaerobic', 15, [repeat(6, 90, 125, 3 * MIN, 50)]),
  session('anaerobic-10x45s', 'Anaerobic 10×45 s', 'anaerobic', 15, [repeat(10, 45, 135, 135, 50)]),
  session('anaerobic-5x2', 'Anaerobic 5×2 min', 'anaerobic', 15, [repeat(5, 2 * MIN, 121, 4 * MIN, 50)]),
  // Sprints, maximal efforts of 10–20 s on an endurance ride.
  session('sprint-3x4x20s', 'Sprints 3×4×20 s', 'sprint', 15, [...sets(3, repeat(4, 20, 160, 40, 55), steady(5, 60)), steady(10, 65)]),
  session('sprint-6x15s', 'Sprints 6×15 s', 'sprint', 15, [steady(10, 65), repeat(6, 15, 200, 285, 60), steady(10, 65)]),
  session('sprint-standing-6x12s', 'Standing starts 6×12 s', 'sprint', 15, [repeat(6, 12, 230, 288, 60), steady(15, 65)]),
  session('sprint-8x10s', 'Sprints 8×10 s', 'sprint', 15, [repeat(8, 10, 220, 230, 60), steady(15, 65)]),
  session('sprint-endurance-5x10s', 'Endurance with 5 sprints', 'sprint', 15, [repeat(5, 10, 200, 590, 65)]),
];

/** Minutes of endurance (65 % FTP) added before a structured session's cool-down. */
export const EXTENSION_MINUTES = [0, 30, 60, 90] as const;

function extended(template: Template, minutes: number): Template {
  if (minutes === 0) return template;
  const steps = [...template.steps];
  steps.splice(steps.length - 1, 0, steady(minutes, 65));
  return { id: `${template.id}-plus${minutes}`, name: `${template.name} + ${minutes} min endurance`, type: template.type, steps };
}

/** "45 min", "1:30". */
function clock(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Ride lengths, minutes: every 5 min up to `fineUpTo` (small weeks need fine steps), then every 15. */
function rideMinutes(max: number, fineUpTo: number): number[] {
  const out: number[] = [];
  for (let d = 30; d <= max; d += d < fineUpTo ? 5 : 15) out.push(d);
  return out;
}

function enduranceRides(): Template[] {
  const rides: Template[] = [];
  for (const d of rideMinutes(360, 90)) {
    const main = d - 10;
    rides.push({
      id: `endurance-${d}`,
      name: `Endurance ${clock(d)}`,
      type: 'endurance',
      steps: [
        { kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 50, toPercentFtp: 65 },
        steady(main, 68),
        { kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 65, toPercentFtp: 50 },
      ],
    });
    if (d >= 45 && d % 15 === 0) {
      const sets = Math.floor(main / 5);
      const rest = main - sets * 5;
      const steps: WorkoutStep[] = [
        { kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 50, toPercentFtp: 65 },
        repeat(sets, 60, 78, 4 * MIN, 66),
      ];
      if (rest > 0) steps.push(steady(rest, 66));
      steps.push({ kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 65, toPercentFtp: 50 });
      rides.push({ id: `endurance-spinups-${d}`, name: `Endurance ${clock(d)} with spin-ups`, type: 'endurance', steps });
    }
    if (d >= 60 && d % 15 === 0) {
      const third = Math.floor(main / 3);
      rides.push({
        id: `endurance-progressive-${d}`,
        name: `Progressive endurance ${clock(d)}`,
        type: 'endurance',
        steps: [
          { kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 50, toPercentFtp: 65 },
          steady(third, 64),
          steady(third, 68),
          steady(main - 2 * third, 72),
          { kind: 'ramp', seconds: 5 * MIN, fromPercentFtp: 65, toPercentFtp: 50 },
        ],
      });
    }
  }
  return rides;
}

function recoveryRides(): Template[] {
  const rides: Template[] = [];
  for (const d of rideMinutes(90, 60)) {
    rides.push({ id: `recovery-${d}`, name: `Recovery spin ${d} min`, type: 'recovery', steps: [steady(d, 50)] });
    rides.push({ id: `easy-spin-${d}`, name: `Easy spin ${d} min`, type: 'recovery', steps: [steady(d, 56)] });
    if (d % 15 !== 0) continue;
    const sets = Math.floor((d - 10) / 5);
    rides.push({
      id: `recovery-spinups-${d}`,
      name: `Recovery spin ${d} min with spin-ups`,
      type: 'recovery',
      steps: [steady(5, 50), repeat(sets, 30, 60, 270, 50), steadySeconds((d - 5 - sets * 5) * MIN, 50)],
    });
  }
  return rides;
}

function toWorkout(template: Template): Workout {
  return { ...template, ...workoutMetrics(template.steps, template.type), description: describeSteps(template.steps) };
}

/** Every workout the generator can choose from, metrics computed once at load. */
export const WORKOUT_LIBRARY: readonly Workout[] = Object.freeze(
  [...recoveryRides(), ...enduranceRides(), ...TEMPLATES.flatMap((t) => EXTENSION_MINUTES.map((m) => extended(t, m)))].map(toWorkout),
);

const BY_ID = new Map(WORKOUT_LIBRARY.map((w) => [w.id, w]));

export function workoutById(id: string): Workout | undefined {
  return BY_ID.get(id);
}
