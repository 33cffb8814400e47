/**
 * What each model phase must return, validated with zod. Text fields are short Markdown; the
 * numbers a user sees come from the engine, not from these strings.
 */
import { z } from 'zod';

export const LIMITER_AREAS = ['sprint', 'anaerobic', 'vo2max', 'threshold', 'endurance', 'consistency', 'recovery'] as const;

const point = z.object({
  title: z.string().min(3).max(120),
  detail: z.string().min(3).max(800),
});

export const analysisSchema = z.object({
  summary: z.string().min(10).max(1500),
  keyTrends: z.array(z.string().min(3).max(500)).min(1).max(6),
  strengths: z.array(point).max(5),
  limiters: z.array(point.extend({ area: z.enum(LIMITER_AREAS) })).max(5),
  insights: z.array(z.string().min(3).max(700)).min(1).max(6),
  recommendations: z.object({
    shortTerm: z.array(z.string().min(3).max(500)).min(1).max(6),
    longTerm: z.array(z.string().min(3).max(500)).min(1).max(6),
    recovery: z.array(z.string().min(3).max(500)).min(1).max(5),
  }),
});
export type Analysis = z.infer<typeof analysisSchema>;

export const planningSchema = z.object({
  coachingNotes: z.array(z.string().min(3).max(700)).min(1).max(8),
  monitoring: z.array(z.string().min(3).max(500)).min(1).max(6),
});
export type PlanningNotes = z.infer<typeof planningSchema>;
