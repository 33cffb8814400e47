/**
 * The onboarding dialogue's questions and the words around them: what each question asks, when
 * it counts as answered, the athlete's current value (for a review), and short answers to the
 * questions people ask on the way ("why do you need my weight?"). The flow itself — one question
 * at a time, corrections, re-asking — lives in the Conversation.
 */
import type { ProfileFields } from '../domain/profile.js';
import type { ProfileChanges, ProfileField } from './profile-text.js';

export interface OnboardingStep {
  field: ProfileField;
  question: string;
  /** Already answered when this is true (`done`: steps answered or skipped in this dialogue). */
  answered: (profile: ProfileFields, done: readonly ProfileField[]) => boolean;
  /** The value now, as a review shows it. */
  current: (profile: ProfileFields, athlete: { timeZone: string; units: string }) => string;
}

const days = (p: ProfileFields) => p.trainingDays?.map((d) => d[0]!.toUpperCase() + d.slice(1)).join(' ') ?? 'not set';

export const STEPS: readonly OnboardingStep[] = [
  {
    field: 'ftp',
    question:
      'What is your FTP (functional threshold power) in watts? If you don\'t know it, say "I don\'t know" and I will estimate it from your rides.',
    answered: (p) => p.ftp !== null,
    current: (p) => (p.ftp === null ? 'not set (estimated from your rides)' : `${p.ftp} W`),
  },
  {
    field: 'weightKg',
    question: 'What do you weigh? (e.g. "70 kg" or "154 lb")',
    answered: (p) => p.weightKg !== null,
    current: (p, a) =>
      p.weightKg === null ? 'not set' : a.units === 'imperial' ? `${Math.round(p.weightKg / 0.45359237)} lb` : `${p.weightKg} kg`,
  },
  {
    field: 'heartRate',
    question: 'Your max heart rate or threshold heart rate? (e.g. "max hr 186" or "lthr 168"; "skip" if you don\'t know)',
    answered: (p) => p.maxHr !== null || p.lthr !== null,
    current: (p) =>
      p.maxHr === null && p.lthr === null
        ? 'not set'
        : [p.maxHr !== null ? `max ${p.maxHr} bpm` : '', p.lthr !== null ? `threshold ${p.lthr} bpm` : ''].filter(Boolean).join(', '),
  },
  {
    field: 'trainingDays',
    question: 'Which days can you ride? (e.g. "Tue Thu Sat Sun")',
    answered: (p) => p.trainingDays !== null && p.trainingDays.length > 0,
    current: days,
  },
  {
    field: 'weeklyHours',
    question: 'How many hours a week can you train? (e.g. "8h")',
    answered: (p) => p.weeklyHours !== null,
    current: (p) => (p.weeklyHours === null ? 'not set' : `${p.weeklyHours} h`),
  },
  {
    field: 'goals',
    question: 'What is your goal? Add the event date if there is one (e.g. "Marmotte on July 4 2027"), or say "skip".',
    answered: (p) => p.goals !== null,
    current: (p) => (p.goals === null ? 'not set' : `"${p.goals}"${p.eventDate ? ` (event ${p.eventDate})` : ''}`),
  },
  {
    field: 'timeZone',
    question: 'Your time zone? A city is enough (e.g. "Paris" or "New York"), or write it like Europe/Berlin or GMT+1.',
    answered: (_p, done) => done.includes('timeZone'),
    current: (_p, a) => a.timeZone,
  },
  {
    field: 'units',
    question: 'Metric (km, kg) or imperial (miles, lb)?',
    answered: (_p, done) => done.includes('units'),
    current: (_p, a) => a.units,
  },
];

export const stepOf = (field: ProfileField | null): OnboardingStep | null => STEPS.find((s) => s.field === field) ?? null;

/** The question of a step; in a review, with the value it has now. */
export function stepQuestion(
  step: OnboardingStep,
  profile: ProfileFields,
  athlete: { timeZone: string; units: string },
  review: boolean,
): string {
  return review ? `${step.question}\n(Now: ${step.current(profile, athlete)}. "keep" keeps it.)` : step.question;
}

/** True when the changes hold an answer to the step's question. */
export function answersStep(field: ProfileField, changes: ProfileChanges): boolean {
  const p = changes.profile;
  switch (field) {
    case 'heartRate':
      return p.maxHr !== undefined || p.lthr !== undefined || p.restingHr !== undefined;
    case 'timeZone':
      return changes.timeZone !== undefined;
    case 'units':
      return changes.units !== undefined;
    default:
      return p[field as keyof ProfileFields] !== undefined;
  }
}

/**
 * "oh wait, my ftp is 255", "sorry, 72 kg", "actually I weigh 71": a change to an earlier answer,
 * not an answer to the question just asked (which would take the text as, say, the goal).
 */
const CORRECTION =
  /^\s*(?:(?:oh|oops|ah|hm+|um+)\b[\s,.!]*)?(?:wait|actually|sorry|correction|oops|no\s*,|i\s+meant|my\s+(?:bad|mistake)|hang\s+on)\b[\s,.!:-]*/i;
const MY_FIELD =
  /^\s*(?:and\s+)?my\s+(?:ftp|weight|max(?:imum)?\s*(?:hr|heart\s*rate)|lthr|threshold|resting\s*(?:hr|heart\s*rate)|hours|days|time\s*zone|units)\s+(?:is|was|are|should\s+be)\b/i;

export function isCorrection(text: string): boolean {
  return CORRECTION.test(text) || MY_FIELD.test(text);
}

/** The correction without its "oh wait,": what is left to parse. */
export function withoutCorrection(text: string): string {
  return text.replace(CORRECTION, '').trim();
}

/** "keep", "same", "unchanged": in a review, the value stays. */
export function isKeep(text: string): boolean {
  return /^\s*(?:keep(?:\s+it)?|same(?:\s+as\s+before)?|unchanged|no\s+change|still\s+the\s+same|that'?s\s+(?:right|correct)|correct)\s*[.!]?\s*$/i.test(
    text,
  );
}

/** A bare number with a question mark ("250?") is an unsure answer, not a question. */
export function isUnsureAnswer(text: string): boolean {
  return /^\s*[~≈]?\s*\d+(?:[.,]\d+)?\s*[a-z]{0,6}\s*\?+\s*$/i.test(text);
}

/** A profile filled in enough that /start offers a review instead of the questions. */
export function profileComplete(p: ProfileFields | null): boolean {
  return (
    p !== null && p.ftp !== null && p.weightKg !== null && p.trainingDays !== null && p.trainingDays.length > 0 && p.weeklyHours !== null
  );
}

type Topic = 'ftp' | 'weight' | 'heartRate' | 'days' | 'hours' | 'goal' | 'timeZone' | 'units' | 'privacy';

const WHY: Record<Topic, string> = {
  ftp: "FTP (functional threshold power) is about the power you can hold for an hour. It sets your training zones and the training load (TSS) of every ride, and your workouts' targets are percentages of it. Don't know it? Say \"I don't know\" and I will estimate it from your rides.",
  weight:
    'Your weight turns watts into watts per kilo (W/kg) — what decides how fast you climb — in your reports and your FTP history. It stays between us: /export shows everything I hold, /forget deletes it. Rather not say? Answer "skip".',
  heartRate:
    'With your max or threshold heart rate I set heart-rate zones and count the training load of rides without a power meter. Don\'t know them? Answer "skip": power alone works too.',
  days: 'Your plan puts workouts only on the days you can ride, with the hard ones spread apart.',
  hours: 'Your plan fits into the hours you have each week — never more.',
  goal: 'Your plan builds towards your goal; with an event date, it peaks and tapers for that day. No event? A goal like "FTP 280" or "more endurance" works too — or "skip".',
  timeZone: 'So that "today" and "tomorrow" are your days, not mine, and reminders come at your local time.',
  units: 'Only how I show numbers: kilometres and kilograms, or miles and pounds.',
  privacy: 'Your data is only used to coach you, and no one else sees it. /export gives you everything I hold; /forget deletes it all.',
};

const TOPIC_OF_STEP: Record<ProfileField, Topic> = {
  ftp: 'ftp',
  weightKg: 'weight',
  heartRate: 'heartRate',
  maxHr: 'heartRate',
  lthr: 'heartRate',
  restingHr: 'heartRate',
  trainingDays: 'days',
  weeklyHours: 'hours',
  goals: 'goal',
  eventDate: 'goal',
  timeZone: 'timeZone',
  units: 'units',
};

const TOPICS: [Topic, RegExp][] = [
  ['privacy', /\b(privacy|private|data|share|sell|safe|secure|who\s+(?:can\s+)?sees?)\b/i],
  ['weight', /\b(weight|weigh|kg|kilos?|lbs?|pounds?)\b/i],
  ['heartRate', /\b(heart|hr|lthr|bpm|pulse)\b/i],
  ['ftp', /\b(ftp|threshold\s+power|watts?)\b/i],
  ['timeZone', /\b(time\s*zone|timezone|where\s+i\s+live|location|city)\b/i],
  ['units', /\b(units?|metric|imperial|miles|km)\b/i],
  ['goal', /\b(goal|event|race|date)\b/i],
  ['days', /\b(days?|weekdays?)\b/i],
  ['hours', /\b(hours?)\b/i],
];

/**
 * A short answer to a question asked during onboarding — why a value is needed, what FTP is,
 * what happens to the data. A bare "why?" is about the question just asked. Null when the
 * question is about something else (the coach may answer it).
 */
export function onboardingAnswer(question: string, pending: ProfileField): string | null {
  // about why or what a value is — not "how many km did I ride?" (the coach's) nor "what a lovely day"
  const asking =
    /\b(why|what\s+(?:is|are|does|do|for|about)|what'?s|how\s+(?:do|does|will|is|are)\s+(?:you|it|this|that|my)|need|use|mean|matter|important|safe)\b/i.test(
      question,
    );
  const topic = asking ? TOPICS.find(([, pattern]) => pattern.test(question))?.[0] : undefined;
  if (topic) return WHY[topic];
  if (
    /^\s*(why|what\s+for|how\s+come|what\s+do\s+you\s+(need|want|mean)|what\s+is\s+(that|this|it)|why\s+do\s+you\s+(need|ask|want))\b/i.test(
      question,
    )
  )
    return WHY[TOPIC_OF_STEP[pending]];
  return null;
}

/** The answer to "help" in the middle of the questions. */
export const ONBOARDING_HELP =
  'We are setting up your profile: answer the question below, say "skip" to leave it out, or write any earlier value again to change it (e.g. "ftp 260"). Ask me why I need something, any time. /help lists everything else I can do.';
