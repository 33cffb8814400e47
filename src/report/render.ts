/**
 * The three report files from one model. Pure: no I/O, no clock; every user string goes through
 * the escaping `html` tag, narrative Markdown through `markdown()`.
 */
import { renderCoachingInsights } from './pages/coaching-insights-page.js';
import { renderIndex } from './pages/index-page.js';
import { renderPerformanceDashboard } from './pages/performance-dashboard-page.js';
import type { ReportFileName, ReportModel } from './report-model.js';

export interface RenderedReport {
  fileName: ReportFileName;
  html: string;
}

/** index.html, coaching_insights.html and performance_dashboard.html, each self-contained. */
export function renderReports(model: ReportModel): RenderedReport[] {
  return [
    { fileName: 'index.html', html: renderIndex(model) },
    { fileName: 'coaching_insights.html', html: renderCoachingInsights(model) },
    { fileName: 'performance_dashboard.html', html: renderPerformanceDashboard(model) },
  ];
}
