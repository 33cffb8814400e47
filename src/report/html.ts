/**
 * The escaping template tag every report is written with: interpolated values are escaped
 * unless wrapped in `raw()` (the visible exception — used only for HTML we built or sanitised).
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const RAW = Symbol('raw html');

export interface RawHtml {
  readonly [RAW]: true;
  readonly value: string;
}

export function raw(value: string): RawHtml {
  return { [RAW]: true, value };
}

function isRaw(value: unknown): value is RawHtml {
  return typeof value === 'object' && value !== null && RAW in value;
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Interpolation = string | number | null | undefined | boolean | RawHtml | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isRaw(value)) return value.value;
  return escapeHtml(String(value));
}

/** Texts longer than this also carry their full wording in a `title` (the `.clip` box may cut them). */
const CLIP_TITLE_FROM = 30;

/**
 * A name someone typed (a ride's name can be thousands of characters, or one endless word) for a
 * table cell: the `.clip` box wraps it anywhere, at most 24em wide and three lines high, so it never
 * widens its table; the full text stays in the title. Escaped like any interpolation.
 */
export function clippedText(text: string): RawHtml {
  return html`<span class="clip"${text.length > CLIP_TITLE_FROM ? html` title="${text}"` : ''}>${text}</span>`;
}

/** html`<p>${userText}</p>`: escapes every interpolation; nested html`` results pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return raw(out);
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    'code',
    'br',
    'h3',
    'h4',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {},
  disallowedTagsMode: 'escape',
};

/** Links and images in model-written Markdown become their plain text: reports open offline and link nowhere. */
const marked = new Marked({
  gfm: true,
  renderer: {
    link(token) {
      return this.parser.parseInline(token.tokens);
    },
    image(token) {
      return escapeHtml(token.text);
    },
  },
});

/** Model-written Markdown → sanitised HTML (no links, images, scripts or attributes). */
export function markdown(text: string): RawHtml {
  const rendered = marked.parse(text, { async: false }) as string;
  return raw(sanitizeHtml(rendered, SANITIZE));
}

/** Inline Markdown (no wrapping <p>) for list items and short texts. */
export function markdownInline(text: string): RawHtml {
  const rendered = marked.parseInline(text, { async: false }) as string;
  return raw(sanitizeHtml(rendered, SANITIZE));
}
