/** Autocomplete: training days and time zones suggested from what the athlete has typed so far. */
import { describe, expect, it } from 'vitest';
import { suggestDays, suggestTimeZones } from '../../../../bots/discord/autocomplete.js';

describe('Discord autocomplete', () => {
  it('suggests days and zones from what was typed', () => {
    expect(suggestDays('').map((c) => c.value)).toEqual(expect.arrayContaining(['Mon', 'Tue Thu Sat Sun', 'Every day']));
    expect(suggestDays('sa').map((c) => c.value)).toEqual(['Sat', 'Sat Sun']);
    expect(suggestDays('Mon, Wed, f').map((c) => c.value)).toEqual(['Mon Wed Fri']);
    expect(suggestTimeZones('').map((c) => c.value)).toContain('Europe/London');
    expect(suggestTimeZones('utc').map((c) => c.value)).toContain('UTC');
    expect(suggestTimeZones('zzzz')).toEqual([]);
  });
});
