/** What a run reports as it goes; the CLI prints these, chat adapters edit a status message. */
export const PHASES = ['data-preparation', 'performance-analysis', 'training-planning', 'report-generation'] as const;
export type PhaseName = (typeof PHASES)[number];

export const PHASE_TITLES: Record<PhaseName, string> = {
  'data-preparation': 'Data preparation',
  'performance-analysis': 'Performance analysis',
  'training-planning': 'Training planning',
  'report-generation': 'Report generation',
};

export type RunEvent =
  | { type: 'run-queued'; runId: string; position: number }
  | { type: 'run-started'; runId: string }
  | { type: 'phase-started'; runId: string; phase: PhaseName; index: number }
  | { type: 'phase-progress'; runId: string; phase: PhaseName; message: string }
  | { type: 'phase-done'; runId: string; phase: PhaseName; status: 'done' | 'degraded' | 'skipped'; seconds: number; note?: string }
  | { type: 'run-done'; runId: string; degraded: boolean }
  | { type: 'run-failed'; runId: string; code: string; message: string };

export type RunListener = (event: RunEvent) => void;
