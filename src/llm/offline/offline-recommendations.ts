/**
 * The offline coach's advice for each limiter area: one short-term and one long-term
 * recommendation, quoted by the analysis for the athlete's first limiters.
 */

/** The areas a limiter can be in (the analysis schema's). */
export type LimiterArea = 'sprint' | 'anaerobic' | 'vo2max' | 'threshold' | 'endurance' | 'consistency' | 'recovery';

export const RECOMMEND: Record<LimiterArea, { short: string; long: string }> = {
  sprint: {
    short: 'Add 6–8 × 10 s standing sprints with full recovery once a week, fresh, early in a ride.',
    long: 'Keep one neuromuscular session a week and add gym work (squats, deadlifts) in the off-season.',
  },
  anaerobic: {
    short: 'Once a week: 6–8 × 1 min hard (about 130–150 % FTP) with 3 min easy between.',
    long: 'Build anaerobic capacity in the build phase with 30/30s and 1-min repeats, after the aerobic base.',
  },
  vo2max: {
    short: 'One VO2max session a week: 5 × 4 min at 110–120 % FTP with 4 min easy between.',
    long: 'Two VO2max blocks of 3–4 weeks in the next months, each followed by a recovery week.',
  },
  threshold: {
    short: 'Two sweet-spot/threshold sessions a week, e.g. 2 × 20 min at 88–95 % FTP.',
    long: 'Extend time at threshold step by step (3 × 15 → 2 × 30 min) and retest FTP after 6–8 weeks.',
  },
  endurance: {
    short: 'One long ride a week at 60–70 % FTP, adding 15–30 min each week.',
    long: 'Raise weekly volume by no more than 10 % a week and keep 80 % of riding easy.',
  },
  consistency: {
    short: 'Plan fixed training days and keep to at least 3 rides a week.',
    long: 'Steady weekly rhythm beats big weeks: aim for no week below 70 % of your average.',
  },
  recovery: {
    short: 'Take an easy week now: halve the intensity and cut volume by a third.',
    long: 'Plan a recovery week every 3–4 weeks and keep the CTL ramp under 5 per week.',
  },
};
