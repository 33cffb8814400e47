import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSecrets, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

describe('config', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.logLevel).toBe('info');
    expect(config.ingest.maxCompressionRatio).toBe(100);
    expect(config.ingest.maxFileBytes).toBe(512 * 1024 * 1024);
  });

  it('treats empty strings as unset, as in a copied .env.example', () => {
    expect(loadConfig({ LOG_LEVEL: '', DOMESTIQUE_MAX_ARCHIVE_ENTRIES: '' }).ingest.maxArchiveEntries).toBe(50_000);
  });

  it('parses numbers and rejects bad values naming the variable', () => {
    expect(loadConfig({ DOMESTIQUE_MAX_UPLOAD_BYTES: '1024' }).ingest.maxFileBytes).toBe(1024);
    expect(() => loadConfig({ DOMESTIQUE_MAX_UPLOAD_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL/);
  });

  it('ANALYSIS_JOB_EXPIRE_SECONDS: 15 minutes by default, at least 10 seconds', () => {
    expect(loadConfig({}).jobs.analysisExpireSeconds).toBe(900);
    expect(loadConfig({ ANALYSIS_JOB_EXPIRE_SECONDS: '30' }).jobs.analysisExpireSeconds).toBe(30);
    expect(() => loadConfig({ ANALYSIS_JOB_EXPIRE_SECONDS: '5' })).toThrow(/ANALYSIS_JOB_EXPIRE_SECONDS/);
  });

  it('names the secrets that are set — the bot tokens and the Anthropic key — for the logger to cut out', () => {
    expect(configSecrets(loadConfig({}))).toEqual([]);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123:telegram-secret',
      DISCORD_TOKEN: 'discord-secret',
      ANTHROPIC_API_KEY: 'sk-ant-x',
    });
    expect(configSecrets(config)).toEqual(['123:telegram-secret', 'discord-secret', 'sk-ant-x']);
  });

  it('every variable the config reads is listed in .env.example with a comment', async () => {
    const { readFile } = await import('node:fs/promises');
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const source = await readFile(new URL('../../src/config.ts', import.meta.url), 'utf8');
    const used = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(3);
    for (const name of used) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    expect(example).toMatch(/^#/m);
  });
});

describe('logger', () => {
  it('writes JSON lines and never prints secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        token: 'tg-123:SECRET',
        config: { apiKey: 'sk-ant-SECRET' },
        headers: { authorization: 'Bearer SECRET' },
        athleteKey: 'telegram:42',
      },
      'hello',
    );
    const text = lines.join('');
    expect(text).not.toContain('SECRET');
    expect(text).toContain('[redacted]');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'hello', athleteKey: 'telegram:42' });
  });
});
