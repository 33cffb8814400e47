/** Command registration: the REST API base, however the API root was written (with or without /api, a version, a slash). */
import { describe, expect, it } from 'vitest';
import { restApiUrl } from '../../../../bots/discord/register.js';

describe('Discord command registration', () => {
  it('finds the REST api base however it was written', () => {
    expect(restApiUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/api');
    expect(restApiUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/api');
    expect(restApiUrl('https://discord.com/api')).toBe('https://discord.com/api');
    expect(restApiUrl('https://discord.com/api/v10/')).toBe('https://discord.com/api');
  });
});
