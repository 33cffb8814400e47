/** A report page's visible text for assertions: styles and tags dropped, entities decoded, every run of spaces (narrow no-break ones too) one space. */
export function visibleText(doc: string): string {
  return doc
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/[\s\u202f]+/g, ' ');
}
