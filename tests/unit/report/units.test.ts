/**
 * One formatting module for reports and chat: the athlete's units (miles, pounds, mph, feet for an
 * imperial athlete; W/kg everywhere), the two number styles, and the reports and messages that use
 * them.
 */
import { describe, expect, it } from 'vitest';
import { formatDuration as chatDuration } from '../../../src/conversation/messages/format.js';
import { profileText } from '../../../src/conversation/messages/profile.js';
import { summaryText } from '../../../src/conversation/messages/summary.js';
import { uploadText, uploadTotals } from '../../../src/conversation/messages/uploads.js';
import type { RunResult } from '../../../src/orchestrator/run-result.js';
import {
  chatQuantity,
  distance,
  elevation,
  formatDistance,
  formatDuration,
  formatElevation,
  formatNumber,
  formatSpeed,
  formatWeight,
  speed,
  weight,
} from '../../../src/report/format.js';
import { ridesTable } from '../../../src/report/pages/performance-dashboard-page.js';
import { renderReports } from '../../../src/report/render.js';
import type { AthleteRecord } from '../../../src/store/store.js';
import { buildReportFixture } from '../../support/report-fixture.js';

const NNBSP = '\u202f';

describe('units', () => {
  it('converts distance, weight, speed and elevation for an imperial athlete and leaves metric as it is', () => {
    expect(distance(1609.344, 'imperial')).toEqual({ value: 1, unit: 'mi', digits: 1 });
    expect(distance(42_195, 'metric')).toEqual({ value: 42.195, unit: 'km', digits: 1 });
    expect(weight(70, 'imperial').value).toBeCloseTo(154.32, 2);
    expect(weight(70, 'imperial').unit).toBe('lb');
    expect(weight(70, 'metric')).toEqual({ value: 70, unit: 'kg', digits: 0 });
    expect(weight(68.5, 'metric').digits).toBe(1);
    expect(speed(10, 'imperial').value).toBeCloseTo(22.37, 2);
    expect(speed(10, 'metric').value).toBeCloseTo(36, 6);
    expect(elevation(1000, 'imperial').value).toBeCloseTo(3280.84, 2);
    expect(distance(null, 'imperial').value).toBeNull();
  });

  it('writes them in the report style (narrow no-break space) and the chat style (a space, "1,234")', () => {
    expect(formatDistance(160_934.4, 'imperial')).toBe(`100.0${NNBSP}mi`);
    expect(formatDistance(160_934.4, 'imperial', 'chat')).toBe('100.0 mi');
    expect(formatDistance(2_000_000, 'metric', 'chat')).toBe('2,000.0 km');
    expect(formatWeight(69.853, 'imperial', 'chat')).toBe('154 lb');
    expect(formatWeight(70.5, 'metric')).toBe(`70.5${NNBSP}kg`);
    expect(formatSpeed(8.94, 'imperial', 'chat')).toBe('20.0 mph');
    expect(formatSpeed(8.94, 'metric', 'chat')).toBe('32.2 km/h');
    expect(formatElevation(1234, 'imperial', 'chat')).toBe('4,049 ft');
    expect(formatElevation(1234, 'metric')).toBe(`1234${NNBSP}m`);
    expect(formatWeight(null, 'imperial', 'chat')).toBe('–');
    expect(formatWeight(null, 'imperial')).toBe('—');
  });

  it('one number formatter: report (thin-space groups, minus sign) and chat (commas, hyphen) styles', () => {
    expect(formatNumber(12345.6, 1)).toBe('12\u2009345.6');
    expect(formatNumber(12345.6, 1, 'chat')).toBe('12,345.6');
    expect(formatNumber(1234, 0, 'chat')).toBe('1,234');
    expect(formatNumber(-3.5, 1)).toBe('\u22123.5');
    expect(formatNumber(-3.5, 1, 'chat')).toBe('-3.5');
    expect(formatNumber(-0.04, 1, 'chat')).toBe('0.0');
    expect(chatQuantity(8, 1, 'h')).toBe('8.0 h');
    expect(chatQuantity(null, 0, 'W')).toBe('–');
    expect(formatDuration(3900, 'chat')).toBe('1:05 h');
    expect(chatDuration(3900)).toBe('1:05 h'); // messages.ts uses the same module
    expect(formatDuration(3900)).toBe(`1${NNBSP}h 05${NNBSP}min`);
  });
});

describe('the reports in imperial units', () => {
  const metric = buildReportFixture();
  const imperial = { ...metric, athlete: { ...metric.athlete, units: 'imperial' as const } };
  const dashboard = (m: typeof metric) => renderReports(m).find((r) => r.fileName === 'performance_dashboard.html')!.html;
  const index = (m: typeof metric) => renderReports(m).find((r) => r.fileName === 'index.html')!.html;

  it('shows the ride distances in miles and the weight in pounds; W/kg stays W/kg', () => {
    expect(dashboard(metric)).toContain('Distance (km)');
    expect(dashboard(imperial)).toContain('Distance (mi)');
    expect(dashboard(imperial)).not.toContain('Distance (km)');
    const ride = metric.rides.find((r) => r.distanceKm !== null)!;
    const html = ridesTable([ride], 'imperial').value;
    expect(html).toContain(`>${formatNumber(ride.distanceKm! / 1.609344, 1)}<`);
    expect(index(imperial)).toContain(`${formatNumber((metric.athlete.weightKg ?? 0) / 0.45359237)}${NNBSP}lb`);
    expect(index(imperial)).toContain(`${NNBSP}W/kg`);
    expect(index(metric)).toMatch(/\d\u202fkg/);
  });
});

describe('messages in imperial units', () => {
  const athlete = (units: 'metric' | 'imperial') => ({ units, timeZone: 'Europe/Berlin' }) as AthleteRecord;
  const profile = { ftp: 250, weightKg: 69.853 } as Parameters<typeof profileText>[1];

  it("the profile, the upload reply and the summary use the athlete's units", () => {
    expect(profileText(athlete('imperial'), profile)).toMatch(/Weight: 154 lb/);
    expect(profileText(athlete('metric'), profile)).toMatch(/Weight: 69\.9 kg/);
    const totals = uploadTotals([
      { distanceMeters: 40_000, movingSeconds: 3600, timerSeconds: 3700 },
      { distanceMeters: null, movingSeconds: null, timerSeconds: 1800 },
    ]);
    expect(totals).toEqual({ activities: 2, distanceMeters: 40_000, movingSeconds: 5400 });
    const reply = (units: 'metric' | 'imperial') =>
      uploadText({ uploadId: 'u1', new: 2, duplicates: 0, merged: 0, errors: [], activityIds: [], totals }, [], units).text;
    expect(reply('imperial')).toBe('2 new activities stored.\nIn what you sent: 2 activities, 24.9 mi, 1:30 h moving.');
    expect(reply('metric')).toBe('2 new activities stored.\nIn what you sent: 2 activities, 40.0 km, 1:30 h moving.');

    const model = buildReportFixture();
    const result = {
      runId: 'run-12345678',
      status: 'done',
      provider: 'offline',
      report: { ...model, analysis: { ...model.analysis, insights: ['Fitness is at its highest of the year.'] } },
      runJson: {
        athlete: { ftp: 265, ftpSource: 'profile', eftp: 271, weightKg: 70, wattsPerKg: 3.79 },
        fitness: { ctl: 57.2, atl: 58.1, tsb: -0.9 },
        bests: { '5': 900, '60': 450, '300': 330, '1200': 286 },
        volume: { activities: 80, hours: 190.5, distanceKm: 5432.1, weeklyLoad: 420 },
        upload: null,
        warnings: [],
      },
    } as unknown as RunResult;
    const imperial = summaryText(result, '2025-10-31', null, 'imperial');
    expect(imperial.text).toMatch(/80 activities, 190\.5 h, 420 TSS a week\. 3,375\.4 mi ridden\./);
    expect(imperial.text).toMatch(/FTP 265 W · 3\.79 W\/kg at 154 lb · eFTP 271 W/);
    expect(imperial.text.replace(/W\/kg/g, '')).not.toMatch(/\b(km|kg)\b/);
    expect(imperial.fields!.find((f) => f.name === 'Volume')!.value).toBe('190.5 h · 3,375.4 mi · 420 TSS/week');
    const metric = summaryText(result, '2025-10-31', null, 'metric');
    expect(metric.text).toMatch(/420 TSS a week\. 5,432\.1 km ridden\./);
    expect(metric.text).toMatch(/3\.79 W\/kg at 70 kg/);
  });
});
