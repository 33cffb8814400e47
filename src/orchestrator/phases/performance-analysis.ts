/**
 * Phase 2, performance analysis: the model (or the offline coach) reads the fact sheet and the
 * analysis tools and writes the analysis: trends, strengths, limiters, recommendations.
 */
import { fenceData } from '../../llm/fence.js';
import { analysisTools } from '../analysis-tools.js';
import { sheetForModel, type FactSheetDetail } from '../fact-sheet.js';
import type { RunContext } from '../run-context.js';
import { analysisSchema, type Analysis } from '../schemas.js';
import { modelPhase } from './model-phase.js';
import { runPhase } from './run-phase.js';

export function analysePerformance(ctx: RunContext, detail: FactSheetDetail): Promise<Analysis> {
  const { period } = detail.sheet;
  const user = [
    `Analyse this athlete's period ${period.from} to ${period.to} (${period.months} months) against the ${period.months} months before.`,
    fenceData('Fact sheet', sheetForModel(detail.sheet)),
  ].join('\n\n');
  return runPhase(ctx, 'performance-analysis', 1, () =>
    modelPhase<Analysis>(ctx, { name: 'performance-analysis', user, tools: () => analysisTools(detail), output: analysisSchema }),
  );
}
