/**
 * A Strava bulk export, shaped as Strava ships it: activities.csv at the top, recordings under
 * activities/ (.fit.gz, .gpx, .gpx.gz), media/ with photos. Built here from the real corpus.
 */
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { ingestFile } from '../../../src/ingest/ingest.js';
import { corpusBytes, describeCorpus } from '../../support/corpus.js';

const FIT_FILES = ['edge810-vector.fit', 'edge530-stops.fit', 'run-with-power.fit'];

/** A Strava-style "Sep 20, 2019, 2:10:03 PM" in UTC. */
function stravaDate(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const h = d.getUTCHours();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hh}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describeCorpus('Strava bulk export zip', () => {
  it('is ingested whole: every CSV row once, FIT recordings merged with their rows', async () => {
    const csvText = new TextDecoder().decode(corpusBytes('strava', 'activities-2025-99col.csv'));
    const records = parse(csvText, { bom: true, relax_column_count: true }) as string[][];
    const header = records[0]!;
    const rows = records.slice(1);
    const col = (name: string) => header.indexOf(name);

    // Three extra rows as Strava writes them for uploaded FIT files, with the recordings' real start times.
    const { decodeFit } = await import('../../../src/ingest/fit/decode-fit.js');
    const extra: string[][] = FIT_FILES.map((file, i) => {
      const decoded = decodeFit(corpusBytes('fit', file), file);
      if (!decoded.ok) throw new Error(file);
      const row = new Array<string>(header.length).fill('');
      row[col('Activity ID')] = String(9_000_000_001 + i);
      row[col('Activity Date')] = stravaDate(decoded.value[0]!.startTime);
      row[col('Activity Name')] = `Uploaded ${file}, "with quotes"`;
      row[col('Activity Type')] = file.startsWith('run') ? 'Run' : 'Ride';
      row[col('Activity Description')] = 'line one\nline two';
      row[col('Filename')] = `activities/${9_000_000_001 + i}.fit.gz`;
      return row;
    });
    const csv = [header, ...rows, ...extra].map((r) => r.map(quote).join(',')).join('\n');

    const files: Record<string, Uint8Array> = { 'activities.csv': strToU8(csv) };
    FIT_FILES.forEach((file, i) => (files[`activities/${9_000_000_001 + i}.fit.gz`] = gzipSync(corpusBytes('fit', file))));
    // a sample of the GPX recordings the real rows point to, and a photo
    for (const row of rows.slice(0, 40)) files[row[col('Filename')]!] = strToU8('<?xml version="1.0"?><gpx></gpx>');
    files['media/photo.jpg'] = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    files['activities/9999.fit.gz'] = gzipSync(corpusBytes('fit', 'zwift-no-hr.fit')); // a recording no row mentions

    const result = await ingestFile(zipSync(files), 'export_12345.zip');
    if (!result.ok) throw new Error(result.error.message);
    const { activities, errors, skipped } = result.value;

    expect(errors).toEqual([]);
    expect(activities).toHaveLength(rows.length + extra.length + 1);
    expect(rows.length).toBe(1845);
    expect(new Set(activities.map((a) => a.id)).size).toBe(activities.length);

    const fromFit = activities.filter((a) => a.sourceKind === 'fit');
    expect(fromFit.map((a) => a.source).sort()).toEqual([
      'export_12345.zip/activities/9000000001.fit.gz',
      'export_12345.zip/activities/9000000002.fit.gz',
      'export_12345.zip/activities/9000000003.fit.gz',
      'export_12345.zip/activities/9999.fit.gz',
    ]);
    const vector = fromFit.find((a) => a.source.endsWith('9000000001.fit.gz'))!;
    expect(vector.name).toBe('Uploaded edge810-vector.fit, "with quotes"');
    expect(vector.description).toBe('line one\nline two');
    expect(vector.externalId).toBe('9000000001');
    expect(vector.streams?.power).not.toBeNull();
    expect(fromFit.find((a) => a.source.endsWith('9000000003.fit.gz'))!.sport).toBe('running');

    const summaries = activities.filter((a) => a.sourceKind === 'strava-csv');
    expect(summaries).toHaveLength(1845);
    expect(summaries.filter((a) => a.sourceType === 'Ride')).toHaveLength(947);
    expect(skipped.filter((s) => s.source.endsWith('.gpx') || s.source.endsWith('.gpx.gz'))).toHaveLength(40);
    expect(skipped.some((s) => s.source.endsWith('media/photo.jpg'))).toBe(true);
    // in time order
    for (let i = 1; i < activities.length; i++) expect(activities[i]!.startTime >= activities[i - 1]!.startTime).toBe(true);
  });
});
