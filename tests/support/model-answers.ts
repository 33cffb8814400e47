/** Valid phase answers a scripted model can give. */
export const ANALYSIS_ANSWER = {
  summary: 'Solid block: volume and load up, threshold steady. Main limiter: **VO2max**.',
  keyTrends: ['Volume up 12 % on the period before.', 'CTL rose 8 points in 12 weeks.'],
  strengths: [{ title: 'Threshold', detail: 'Best 20 min is 1.02× FTP.' }],
  limiters: [{ title: 'VO2max', detail: 'Best 5 min is only 1.1× FTP.', area: 'vo2max' }],
  insights: ['Most riding is easy: good polarization.'],
  recommendations: { shortTerm: ['One VO2max session a week.'], longTerm: ['Two VO2max blocks.'], recovery: ['Sleep 8 h.'] },
};

export const PLANNING_ANSWER = {
  coachingNotes: ['Eight weeks building VO2max on an aerobic base.'],
  monitoring: ['Keep TSB above −30.'],
};
