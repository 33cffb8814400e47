// Size budget for production code (issue 18): no file in src/ or bots/ over MAX_FILE_LINES lines and
// no function over MAX_FUNCTION_LINES lines, apart from the exceptions listed below with their reason.
// Run by `npm run check:size` (and so by .ci/run); `--report` prints the largest of each instead.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_FILE_LINES = 350;
const MAX_FUNCTION_LINES = 80;
const ROOTS = ['src', 'bots'];

/** Files allowed past the budget, each with why. */
const FILE_EXCEPTIONS: Record<string, string> = {};
/** Functions allowed past the budget ("file:name"), each with why. */
const FUNCTION_EXCEPTIONS: Record<string, string> = {};

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) yield path;
  }
}

interface Sized {
  where: string;
  lines: number;
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (parent && ts.isCallExpression(parent)) return `${parent.expression.getText(source).slice(0, 40)}(…)`;
  return '<anonymous>';
}

function measure(root: string): { files: Sized[]; functions: Sized[] } {
  const files: Sized[] = [];
  const functions: Sized[] = [];
  for (const dir of ROOTS) {
    for (const path of tsFiles(join(root, dir))) {
      const text = readFileSync(path, 'utf8');
      const rel = relative(root, path);
      files.push({ where: rel, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          functions.push({ where: `${rel}:${functionName(node, source)}`, lines: end - start + 1 });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { files: files.sort((a, b) => b.lines - a.lines), functions: functions.sort((a, b) => b.lines - a.lines) };
}

const { files, functions } = measure(process.cwd());
if (process.argv.includes('--report')) {
  const count = Number(process.argv[process.argv.indexOf('--report') + 1]) || 15;
  console.log('largest files:');
  for (const f of files.slice(0, count)) console.log(`  ${f.lines}\t${f.where}`);
  console.log('longest functions:');
  for (const f of functions.slice(0, count)) console.log(`  ${f.lines}\t${f.where}`);
} else {
  const bigFiles = files.filter((f) => f.lines > MAX_FILE_LINES && !(f.where in FILE_EXCEPTIONS));
  const longFunctions = functions.filter((f) => f.lines > MAX_FUNCTION_LINES && !(f.where in FUNCTION_EXCEPTIONS));
  for (const f of bigFiles) console.error(`${f.where}: ${f.lines} lines (budget ${MAX_FILE_LINES}); split it`);
  for (const f of longFunctions) console.error(`${f.where}: ${f.lines} lines (budget ${MAX_FUNCTION_LINES}); split it`);
  if (bigFiles.length + longFunctions.length > 0) process.exit(1);
  console.log(
    `code size ok: largest file ${files[0]?.lines ?? 0} lines (${files[0]?.where}), longest function ${functions[0]?.lines ?? 0} lines (${functions[0]?.where})`,
  );
}
