/** What /checkin reads: on/off, a weekday however it is written, a time however it is written, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { parseCheckinArgs } from '../../../src/conversation/checkin-args.js';

describe('/checkin arguments', () => {
  it('nothing: no change (the settings are shown)', () => {
    expect(parseCheckinArgs('')).toEqual({ changes: {}, errors: [] });
    expect(parseCheckinArgs('   ')).toEqual({ changes: {}, errors: [] });
  });

  it('on and off', () => {
    expect(parseCheckinArgs('on').changes).toEqual({ enabled: true });
    expect(parseCheckinArgs('off').changes).toEqual({ enabled: false });
    expect(parseCheckinArgs('stop').changes).toEqual({ enabled: false });
    expect(parseCheckinArgs('ON').changes).toEqual({ enabled: true });
  });

  it('the weekday after "day", or on its own, in any spelling', () => {
    for (const [said, weekday] of [
      ['day sunday', 'sun'],
      ['day Sun', 'sun'],
      ['Sunday', 'sun'],
      ['day tues', 'tue'],
      ['thursday', 'thu'],
      ['day mo', 'mon'],
    ] as const)
      expect(parseCheckinArgs(said), said).toEqual({ changes: { weekday }, errors: [] });
  });

  it('the time after "time" or "at", or on its own, as HH:MM', () => {
    for (const [said, timeOfDay] of [
      ['time 19:30', '19:30'],
      ['time 7:30pm', '19:30'],
      ['at 7am', '07:00'],
      ['19:30', '19:30'],
      ['6pm', '18:00'],
      ['time noon', '12:00'],
    ] as const)
      expect(parseCheckinArgs(said), said).toEqual({ changes: { timeOfDay }, errors: [] });
  });

  it('any combination, in any order', () => {
    expect(parseCheckinArgs('on day sunday time 19:30')).toEqual({
      changes: { enabled: true, weekday: 'sun', timeOfDay: '19:30' },
      errors: [],
    });
    expect(parseCheckinArgs('time 07:15 day fri off')).toEqual({
      changes: { enabled: false, weekday: 'fri', timeOfDay: '07:15' },
      errors: [],
    });
    expect(parseCheckinArgs('saturday 8am').changes).toEqual({ weekday: 'sat', timeOfDay: '08:00' });
  });

  it('refuses a day that is not one weekday, and a time it cannot read, saying what is allowed', () => {
    const notADay = parseCheckinArgs('day funday');
    expect(notADay.changes).toEqual({});
    expect(notADay.errors).toEqual([expect.stringMatching(/"funday" is not a weekday.*monday, sun/)]);
    expect(parseCheckinArgs('weekends').errors).toEqual([expect.stringMatching(/one weekday/)]);
    expect(parseCheckinArgs('tue thu').errors).toEqual([expect.stringMatching(/one weekday/)]);
    const badTime = parseCheckinArgs('day monday time 25:00');
    expect(badTime.changes).toEqual({ weekday: 'mon' });
    expect(badTime.errors).toEqual([expect.stringMatching(/"25:00" is not a time I can read.*19:00 or 7pm/)]);
  });
});
