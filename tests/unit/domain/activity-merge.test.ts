/** The dedupe/merge policy of uploads: duplicate, merge (which copy wins, what is kept) or new. */
import { describe, expect, it } from 'vitest';
import {
  decideUpload,
  findStoredCopy,
  mergeCopies,
  richness,
  sameActivityWindow,
  type IncomingCopy,
  type StoredCopy,
} from '../../../src/domain/activity-merge.js';
import type { Streams } from '../../../src/domain/activity.js';

const at = (iso: string) => new Date(iso);
const streams = { elapsed: new Float64Array([0, 1]) } as unknown as Streams;

/** A FIT recording with streams and a power meter. */
const fit: IncomingCopy = {
  sourceHash: 'fit-hash',
  sessionIndex: 0,
  startTime: at('2026-05-01T08:00:00Z'),
  sport: 'cycling',
  sourceKind: 'fit',
  externalId: null,
  power: 'measured',
  name: null,
  description: null,
  streams,
};

/** The same ride as a Strava CSV row, 40 s later, with Strava's name and id. */
const row: StoredCopy = {
  id: 'stored-row',
  sourceHash: 'csv-row-hash',
  sessionIndex: 0,
  startTime: at('2026-05-01T08:00:40Z'),
  sport: 'cycling',
  sourceKind: 'strava-csv',
  externalId: '100',
  power: 'estimated',
  name: 'Morning ride',
  description: 'Windy',
  hasStreams: false,
};

const asStored = (c: IncomingCopy, id: string): StoredCopy => {
  const { streams: s, ...rest } = c;
  return { ...rest, id, hasStreams: s !== null };
};
const asIncoming = (c: StoredCopy): IncomingCopy => {
  const { id: _id, hasStreams, ...rest } = c;
  return { ...rest, streams: hasStreams ? streams : null };
};

describe('the same file again', () => {
  it('is a duplicate of what it was stored as, and no candidates are looked up', () => {
    let looked = false;
    const decision = decideUpload(fit, 'stored-fit', () => {
      looked = true;
      return [];
    });
    expect(decision).toEqual({ kind: 'duplicate', activityId: 'stored-fit' });
    expect(looked).toBe(false);
  });
});

describe('the same ride from another source', () => {
  it('a recording merged into a stored summary replaces it, keeping the summary’s name, description and Strava id', () => {
    expect(decideUpload(fit, null, () => [row])).toEqual({
      kind: 'merge',
      activityId: 'stored-row',
      replace: true,
      keep: { name: 'Morning ride', description: 'Windy', externalId: '100' },
    });
  });

  it('a summary merged into a stored recording does not replace it, and brings the name the recording lacked', () => {
    expect(decideUpload(asIncoming(row), null, () => [asStored(fit, 'stored-fit')])).toEqual({
      kind: 'merge',
      activityId: 'stored-fit',
      replace: false,
      keep: { name: 'Morning ride', description: 'Windy', externalId: '100' },
    });
  });

  it('a stored name wins over the incoming one', () => {
    const named = { ...asStored(fit, 'stored-fit'), name: 'My name' };
    expect(mergeCopies(named, asIncoming(row)).keep.name).toBe('My name');
  });

  it('equal richness keeps the stored copy', () => {
    expect(mergeCopies(asStored(fit, 'stored-fit'), { ...fit, sourceHash: 'other-device' }).replace).toBe(false);
  });

  it('two Strava rows with different ids are two activities, however close in time', () => {
    const other = { ...asIncoming(row), sourceHash: 'another-row', externalId: '101', startTime: at('2026-05-01T08:00:10Z') };
    expect(findStoredCopy(other, [row])).toBeUndefined();
    expect(decideUpload(other, null, () => [row])).toEqual({ kind: 'new' });
    // …but a row without an id, or a FIT file, still matches by time
    expect(findStoredCopy({ ...other, externalId: null }, [row])).toBe(row);
    expect(findStoredCopy({ ...fit, externalId: '101' }, [row])).toBe(row);
  });

  it('two Strava activities from the API, or one from the API and one from the CSV, with different ids are two', () => {
    const api = { ...asIncoming(row), sourceKind: 'strava-api' as const, sourceHash: 'api-hash', externalId: '101', streams };
    expect(findStoredCopy(api, [row])).toBeUndefined();
    expect(findStoredCopy(api, [{ ...row, sourceKind: 'strava-api' }])).toBeUndefined();
    expect(findStoredCopy({ ...asIncoming(row), externalId: '102' }, [asStored(api, 'stored-api')])).toBeUndefined();
    expect(decideUpload(api, null, () => [row])).toEqual({ kind: 'new' });
  });

  it('a Strava CSV row and the same activity from Strava’s API (same id) are one ride: the API’s streams win', () => {
    const api: IncomingCopy = {
      ...asIncoming(row),
      sourceKind: 'strava-api',
      sourceHash: 'api-hash',
      startTime: at('2026-05-01T08:00:40Z'),
      power: 'measured',
      name: 'Morning ride (renamed)',
      streams,
    };
    expect(decideUpload(api, null, () => [row])).toEqual({
      kind: 'merge',
      activityId: 'stored-row',
      replace: true,
      keep: { name: 'Morning ride', description: 'Windy', externalId: '100' },
    });
    // the other way round: the CSV row arrives after the API's copy, and does not replace it
    expect(decideUpload(asIncoming(row), null, () => [asStored(api, 'stored-api')])).toMatchObject({
      kind: 'merge',
      activityId: 'stored-api',
      replace: false,
    });
    // the same id is the same activity even when Strava's sport or start moved (an edit on Strava)
    expect(findStoredCopy({ ...api, sport: 'running', startTime: at('2026-05-01T08:05:00Z') }, [row])).toBe(row);
  });

  it('a Strava API activity and a FIT file of the ride still match by time', () => {
    const api = { ...asIncoming(row), sourceKind: 'strava-api' as const, sourceHash: 'api-hash', streams };
    expect(findStoredCopy(api, [asStored(fit, 'stored-fit')])?.id).toBe('stored-fit');
    expect(mergeCopies(asStored(fit, 'stored-fit'), api)).toMatchObject({ replace: false, keep: { externalId: '100' } });
  });

  it('the first candidate that is the same ride is the one merged into', () => {
    const running = { ...row, id: 'run', sport: 'running' };
    expect(findStoredCopy(fit, [running, row, { ...row, id: 'later' }])?.id).toBe('stored-row');
  });
});

describe('richness and the window', () => {
  it('streams beat measured power, which beats a FIT file over a CSV row', () => {
    expect(richness({ sourceKind: 'strava-csv', hasStreams: true, power: 'none' })).toBeGreaterThan(
      richness({ sourceKind: 'fit', hasStreams: false, power: 'measured' }),
    );
    expect(richness({ sourceKind: 'strava-csv', hasStreams: false, power: 'measured' })).toBeGreaterThan(
      richness({ sourceKind: 'fit', hasStreams: false, power: 'estimated' }),
    );
    expect(richness({ sourceKind: 'fit', hasStreams: false, power: 'none' })).toBeGreaterThan(
      richness({ sourceKind: 'strava-csv', hasStreams: false, power: 'none' }),
    );
  });

  it('candidates are the activities that started within 60 s either side', () => {
    expect(sameActivityWindow(at('2026-05-01T08:00:00Z'))).toEqual({
      from: Date.parse('2026-05-01T07:59:00Z'),
      to: Date.parse('2026-05-01T08:01:00Z'),
    });
  });

  it('nothing stored around that time: new', () => {
    expect(decideUpload(fit, null, () => [])).toEqual({ kind: 'new' });
    expect(decideUpload(fit, null, () => [{ ...row, startTime: at('2026-05-01T08:01:01Z') }])).toEqual({ kind: 'new' });
  });
});
