/**
 * The offline coach's notes on the plan the engine built: why it looks as it does and what to
 * watch, with the plan's own numbers.
 */
export interface PlanningFacts {
  context: {
    ftp?: number | null;
    weeklyHours?: number | null;
    trainingDays?: string[] | null;
    eventDate?: string | null;
    limiters?: string[];
    fitness?: { ctl: number; atl: number };
  };
  plan: {
    accepted?: boolean;
    plan?: {
      weeks?: { week: number; phase: string; targetTss: number; plannedTss: number; hours: number; hardDays: number; notes?: string[] }[];
    };
  } | null;
}

const LIMITER_WORDS: Record<string, string> = {
  sprint: 'sprint power',
  anaerobic: 'anaerobic capacity',
  vo2max: 'VO2max',
  threshold: 'threshold power',
  endurance: 'aerobic endurance',
};

export function offlinePlanningNotes(facts: PlanningFacts): { coachingNotes: string[]; monitoring: string[] } {
  const weeks = facts.plan?.plan?.weeks ?? [];
  const notes: string[] = [];
  if (weeks.length > 0) {
    const phases: string[] = [];
    for (const w of weeks) if (phases[phases.length - 1] !== w.phase) phases.push(w.phase);
    const recovery = weeks.filter((w) => w.phase === 'recovery').map((w) => w.week);
    const peak = weeks.reduce((a, b) => (b.plannedTss > a.plannedTss ? b : a));
    notes.push(
      `${weeks.length} weeks: ${phases.join(' → ')}.${recovery.length > 0 ? ` Recovery weeks ${recovery.join(', ')} lower the load by about a third so the training sinks in.` : ''}`,
    );
    notes.push(
      `Load builds from ${Math.round(weeks[0]!.plannedTss)} TSS in week 1 to ${Math.round(peak.plannedTss)} TSS in week ${peak.week}, within ${facts.context.weeklyHours ?? '–'} h a week and at most ${Math.max(...weeks.map((w) => w.hardDays))} hard days a week, never two in a row.`,
    );
    const limited = (facts.context.limiters ?? []).map((l) => LIMITER_WORDS[l] ?? l);
    if (limited.length > 0) notes.push(`The hard sessions target your limiter${limited.length > 1 ? 's' : ''}: ${limited.join(' and ')}.`);
    if (facts.context.eventDate)
      notes.push(
        `The taper brings you to ${facts.context.eventDate} fresh: keep the short, sharp efforts in the last week and rest the day before.`,
      );
    const capped = weeks.filter((w) => (w.notes ?? []).length > 0);
    if (capped.length > 0)
      notes.push(
        `In ${capped.length} week${capped.length === 1 ? '' : 's'} your available hours cap the load below the ideal; more hours would allow more.`,
      );
  } else {
    notes.push('No plan could be built: the profile needs FTP, weekly hours and training days. Tell the coach those and ask again.');
  }
  const ftp = facts.context.ftp;
  return {
    coachingNotes: notes.slice(0, 8),
    monitoring: [
      'Keep form (TSB) above −30; if it drops lower, swap the next hard day for an easy ride.',
      'Resting heart rate 5 bpm or more above normal for two mornings: take a rest day.',
      ftp
        ? `If threshold sessions feel easy at ${ftp} W (RPE under 7/10), retest FTP.`
        : 'Set your FTP so the workouts get the right targets.',
      'Sleep at least 7–8 h; fuel hard and long sessions with 60–90 g carbohydrate per hour.',
    ],
  };
}
