/**
 * PostgreSQL connection URLs: telling one from a file path, and showing one without its password
 * (a URL is printed in reports and errors; its password never is).
 */

/** True for a `postgres://` or `postgresql://` URL (anything else is a SQLite file path). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target.trim());
}

/** The URL with its password replaced by `***` (user, host, port and database kept). */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // not parseable as a URL: hide anything between `user:` and `@`
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** `text` with the URL's password (raw or percent-decoded) replaced by `***`: for error messages that might quote it. */
export function withoutPassword(text: string, url: string): string {
  if (!url) return text;
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    password = /\/\/[^:/@]*:([^@]*)@/.exec(url)?.[1] ?? '';
  }
  let out = text.split(url).join(maskUrl(url));
  for (const secret of new Set([password, safeDecode(password)])) if (secret) out = out.split(secret).join('***');
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
