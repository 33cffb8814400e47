import { dateFromDayNumber, dayNumber } from '../calendar.js';

/** Time constants of the Performance Management Chart, days. */
export const CTL_DAYS = 42;
export const ATL_DAYS = 7;

export interface DailyLoad {
  date: string;
  load: number;
}

export interface PmcDay {
  date: string;
  /** Sum of the day's loads (TSS / hrTSS); 0 on rest days. */
  load: number;
  /** Chronic training load ("fitness"). */
  ctl: number;
  /** Acute training load ("fatigue"). */
  atl: number;
  /** Training stress balance ("form"), from yesterday's CTL and ATL. */
  tsb: number;
  /** CTL_t − CTL_{t−7}; null for the first 7 days, whose CTL a week earlier is not computed here. */
  rampRate: number | null;
}

export interface PmcOptions {
  /** First day, inclusive. */
  start: string;
  /** Last day, inclusive. */
  end: string;
  /** CTL and ATL on the day before `start` (default 0). */
  initialCtl?: number;
  initialAtl?: number;
}

/**
 * Performance Management Chart, one row per day from start to end inclusive (exponentially weighted):
 * CTL_t = CTL_{t−1}·e^(−1/42) + load_t·(1 − e^(−1/42)); ATL_t likewise with 7;
 * TSB_t = CTL_{t−1} − ATL_{t−1} (form going into the day); ramp_t = CTL_t − CTL_{t−7}.
 * Several loads on one day are summed; loads outside the range and non-finite loads are ignored.
 */
export function performanceManagementChart(loads: readonly DailyLoad[], options: PmcOptions): PmcDay[] {
  const first = dayNumber(options.start);
  const last = dayNumber(options.end);
  if (last < first) return [];
  const daily = new Float64Array(last - first + 1);
  for (const { date, load } of loads) {
    const index = dayNumber(date) - first;
    if (index < 0 || index >= daily.length || !Number.isFinite(load)) continue;
    daily[index] = (daily[index] ?? 0) + load;
  }
  const ctlDecay = Math.exp(-1 / CTL_DAYS);
  const atlDecay = Math.exp(-1 / ATL_DAYS);
  let ctl = Number.isFinite(options.initialCtl) ? (options.initialCtl ?? 0) : 0;
  let atl = Number.isFinite(options.initialAtl) ? (options.initialAtl ?? 0) : 0;
  const days: PmcDay[] = [];
  for (let i = 0; i < daily.length; i++) {
    const load = daily[i] ?? 0;
    const tsb = ctl - atl;
    ctl = ctl * ctlDecay + load * (1 - ctlDecay);
    atl = atl * atlDecay + load * (1 - atlDecay);
    const weekAgo = i >= 7 ? days[i - 7] : undefined;
    days.push({ date: dateFromDayNumber(first + i), load, ctl, atl, tsb, rampRate: weekAgo ? ctl - weekAgo.ctl : null });
  }
  return days;
}
