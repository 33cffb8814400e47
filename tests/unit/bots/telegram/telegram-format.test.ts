/**
 * The Telegram adapter's formatting: HTML escaping that the Bot API reads back as the plain text,
 * long texts split under the message limit, and commands parsed from text.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, parseCommand, replyToHtmlMessages, TELEGRAM_TEXT_LIMIT } from '../../../../bots/telegram/telegram-format.js';
import { parseTelegramHtml } from '../../../fakes/fake-telegram.js';

describe('telegram format', () => {
  it('escapes the characters Telegram reserves, and the fake reads them back as plain text', () => {
    const text = 'Power & heart rate <script>alert(1)</script> 5 < 6 > 4 &amp;';
    expect(escapeHtml(text)).toBe('Power &amp; heart rate &lt;script&gt;alert(1)&lt;/script&gt; 5 &lt; 6 &gt; 4 &amp;amp;');
    expect(parseTelegramHtml(escapeHtml(text)).text).toBe(text);
    expect(() => parseTelegramHtml(text)).toThrow(/can't parse entities/);
  });

  it('splits long texts on line boundaries, the title bold on the first message only', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'x<'.repeat(10)}`);
    const messages = replyToHtmlMessages({ title: 'Long & loud', text: lines.join('\n') });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(messages[0]!.startsWith('<b>Long &amp; loud</b>\n')).toBe(true);
    expect(messages.slice(1).some((m) => m.includes('<b>'))).toBe(false);
    const back = messages.map((m) => parseTelegramHtml(m).text).join('\n');
    expect(back).toBe(`Long & loud\n${lines.join('\n')}`);
  });

  it('cuts a single line longer than a message without breaking an entity', () => {
    const line = '&'.repeat(5000);
    const messages = replyToHtmlMessages({ text: line });
    // Measured escaped (25,000 characters of HTML): safe whatever Telegram counts.
    expect(messages.length).toBe(Math.ceil(5000 / Math.floor(TELEGRAM_TEXT_LIMIT / '&amp;'.length)));
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(messages.map((m) => parseTelegramHtml(m).text).join('')).toBe(line);
  });

  it('parses /command, /command@Bot and arguments; ordinary text is not a command', () => {
    expect(parseCommand('/profile ftp 270')).toEqual({ name: 'profile', botName: null, args: 'ftp 270' });
    expect(parseCommand('/Start@domestique_bot')).toEqual({ name: 'start', botName: 'domestique_bot', args: '' });
    expect(parseCommand('/plan@domestique_bot next')).toEqual({ name: 'plan', botName: 'domestique_bot', args: 'next' });
    expect(parseCommand('ftp 270')).toBeNull();
    expect(parseCommand('/ 270')).toBeNull();
  });
});
