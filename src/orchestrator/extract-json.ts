/**
 * The JSON answer inside a model's final message, whatever the model wrapped around it.
 */

/**
 * Where the JSON value opened by the `{` or `[` at `start` ends (the index after its closing
 * bracket), reading strings with their escapes so that brackets, quotes or ``` inside a string do
 * not count; -1 when the brackets do not pair up.
 */
function matchingBracket(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The JSON object in a model's final answer. The model may answer with the JSON alone, wrap it in
 * a ```json fence, or put prose around it — and a string inside it may itself hold ``` (a code
 * sample in advice), so fences are not trusted: the whole answer is tried first, then each `{` or
 * `[` with the bracket that closes it. An object wins over an array (a "[1]" in the prose is no
 * answer); without either, the first parse error (or "no JSON object") is thrown.
 */
export function extractJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not JSON as a whole: look inside
  }
  let firstArray: { value: unknown } | null = null;
  let firstError: unknown = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    const end = matchingBracket(text, i);
    if (end < 0) continue;
    try {
      const value: unknown = JSON.parse(text.slice(i, end));
      if (c === '{') return value;
      firstArray ??= { value };
      i = end - 1; // what is inside the array is part of it
    } catch (error) {
      if (c !== '{') continue;
      firstError ??= error;
      i = end - 1; // an object inside a broken one is not the answer
    }
  }
  if (firstArray) return firstArray.value;
  throw firstError ?? new SyntaxError('no JSON object in the answer');
}
