/**
 * Several report pages as one printable document (for the single PDF): the styles of all pages
 * (deduplicated), their bodies one after the other with a page break between, and no scripts.
 */

const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'";

export function combineForPrint(htmls: readonly string[]): string {
  const styles: string[] = [];
  const bodies: string[] = [];
  let title = 'Training report';
  htmls.forEach((doc, i) => {
    for (const m of doc.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
      const css = m[1] ?? '';
      if (!styles.includes(css)) styles.push(css);
    }
    if (i === 0) {
      const t = /<title>([\s\S]*?)<\/title>/i.exec(doc)?.[1];
      if (t) title = t;
    }
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(doc)?.[1] ?? doc;
    bodies.push(body.replace(/<script\b[\s\S]*?<\/script\s*>/gi, ''));
  });
  const joined = bodies.map((b, i) => (i === 0 ? b : `<div style="break-before:page"></div>${b}`)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">
<title>${title}</title>
<style>${styles.join('\n')}</style>
</head>
<body>
${joined}
</body>
</html>
`;
}
