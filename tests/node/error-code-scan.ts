/**
 * Finds the error codes a TypeScript source raises, without a compiler: a small tokenizer plus four
 * shapes the code base writes codes in. The types already refuse an uncatalogued code; this scan is the
 * second lock, and the only one that can tell a catalogue entry nothing raises.
 *
 * 1. `code: <expr>` in an object literal that has no `path` key (objects with one are field errors,
 *    whose codes are zod issue codes and the like, not problem codes) and is not an argument of zod's `addIssue`;
 * 2. `const code = <expr>`;
 * 3. the argument at the position of a parameter declared `code: ErrorCode…`, at every call of that function;
 * and in each `<expr>`, the string and template literals at its top level (both branches of a ternary).
 */

type Token =
  | { kind: 'str'; value: string }
  | { kind: 'tpl'; pattern: string }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: string };

export interface FoundCode {
  /** A literal code, or a template such as `account_${…}` as a pattern (`account_.+`). */
  code: string;
  template: boolean;
  file: string;
}

const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'case',
  'in',
  'of',
  'void',
  'throw',
  'else',
  'do',
  'yield',
  'await',
]);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  const readQuoted = (quote: string): string => {
    let value = '';
    i++;
    while (i < src.length && src[i] !== quote) {
      if (src[i] === '\\') {
        value += src[i + 1] ?? '';
        i += 2;
      } else value += src[i++];
    }
    i++;
    return value;
  };

  // Skips a `${ … }` expression (which may hold strings and templates of its own) and returns nothing of it.
  const skipExpression = () => {
    let depth = 1;
    while (i < src.length && depth > 0) {
      const c = src[i]!;
      if (c === "'" || c === '"') readQuoted(c);
      else if (c === '`') readTemplate();
      else {
        if (c === '{') depth++;
        if (c === '}') depth--;
        i++;
      }
    }
  };

  const readTemplate = (): string => {
    let pattern = '';
    i++;
    while (i < src.length && src[i] !== '`') {
      if (src[i] === '\\') {
        pattern += escapeRegExp(src[i + 1] ?? '');
        i += 2;
      } else if (src[i] === '$' && src[i + 1] === '{') {
        i += 2;
        skipExpression();
        pattern += '.+';
      } else pattern += escapeRegExp(src[i++]!);
    }
    i++;
    return pattern;
  };

  const regexMayStart = () => {
    const prev = tokens.at(-1);
    if (!prev) return true;
    if (prev.kind === 'word') return REGEX_AFTER_WORD.has(prev.value);
    if (prev.kind === 'punct') return !')]}'.includes(prev.value);
    return false;
  };

  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (/\s/.test(c)) i++;
    else if (c === '/' && next === '/') while (i < src.length && src[i] !== '\n') i++;
    else if (c === '/' && next === '*') i = src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"') tokens.push({ kind: 'str', value: readQuoted(c) });
    else if (c === '`') {
      const pattern = readTemplate();
      tokens.push(
        pattern.includes('.+') ? { kind: 'tpl', pattern } : { kind: 'str', value: pattern.replace(/\\(.)/g, '$1') },
      );
    } else if (c === '/' && regexMayStart()) {
      let inClass = false;
      i++;
      while (i < src.length && (src[i] !== '/' || inClass)) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        i++;
      }
      i++;
      while (/[a-z]/.test(src[i] ?? '')) i++;
      tokens.push({ kind: 'word', value: '<regex>' });
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      const start = i;
      while (/[A-Za-z0-9_$]/.test(src[i] ?? '')) i++;
      tokens.push({ kind: 'word', value: src.slice(start, i) });
    } else if (c === '?' && (next === '?' || (next === '.' && !/[0-9]/.test(src[i + 2] ?? '')))) {
      tokens.push({ kind: 'punct', value: `?${next}` });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

const isPunct = (t: Token | undefined, value: string) => t?.kind === 'punct' && t.value === value;
const isWord = (t: Token | undefined, value?: string) =>
  t?.kind === 'word' && (value === undefined || t.value === value);
const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** For each token, the index of the innermost bracket that encloses it (-1 at the top), and each bracket's match. */
function structure(tokens: Token[]) {
  const parent = new Array<number>(tokens.length).fill(-1);
  const match = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, index) => {
    const isClose = t.kind === 'punct' && ')]}'.includes(t.value);
    if (isClose) {
      const open = stack.pop();
      if (open !== undefined) {
        match[open] = index;
        match[index] = open;
      }
    }
    parent[index] = stack.at(-1) ?? -1;
    if (t.kind === 'punct' && t.value in OPEN) stack.push(index);
  });
  return { parent, match };
}

/** The literals an expression can evaluate to: its top-level literals, and with a ternary, those of both branches. */
function literalsOf(tokens: Token[]): Token[] {
  if (tokens.some((t) => isWord(t, 'ErrorCode') || isWord(t, 'ErrorCodeOf'))) return []; // a type, not a value
  let depth = 0;
  let question = -1;
  let colon = -1;
  let pending = 0;
  tokens.forEach((t, index) => {
    if (t.kind !== 'punct') return;
    if (t.value in OPEN) depth++;
    else if (')]}'.includes(t.value)) depth--;
    else if (depth === 0 && t.value === '?') {
      if (question < 0) question = index;
      else pending++;
    } else if (depth === 0 && t.value === ':' && question >= 0 && colon < 0) {
      if (pending === 0) colon = index;
      else pending--;
    }
  });
  if (question >= 0 && colon > question) {
    return [...literalsOf(tokens.slice(question + 1, colon)), ...literalsOf(tokens.slice(colon + 1))];
  }
  depth = 0;
  return tokens.filter((t) => {
    if (t.kind === 'punct' && t.value in OPEN) depth++;
    if (t.kind === 'punct' && ')]}'.includes(t.value)) depth--;
    return depth === 0 && (t.kind === 'str' || t.kind === 'tpl');
  });
}

/** Tokens from `start` up to (not including) the first `,` `;` or closing bracket at the same level. */
function expressionFrom(
  tokens: Token[],
  { parent, match }: { parent: number[]; match: number[] },
  start: number,
  stops = [',', ';'],
): Token[] {
  const level = parent[start];
  let end = start;
  for (; end < tokens.length; end++) {
    const t = tokens[end]!;
    if (t.kind !== 'punct') continue;
    if (parent[end] === level && stops.includes(t.value)) break;
    if (')]}'.includes(t.value) && match[end] === level) break;
  }
  return tokens.slice(start, end);
}

/** Whether the object literal opened at `open` has a `path` property (written `path:` or shorthand). */
function hasPathKey(tokens: Token[], parent: number[], open: number, close: number): boolean {
  for (let k = open + 1; k < close; k++) {
    if (parent[k] !== open || !isWord(tokens[k], 'path')) continue;
    const before = tokens[k - 1];
    const after = tokens[k + 1];
    if (
      (isPunct(before, '{') || isPunct(before, ',')) &&
      (isPunct(after, ':') || isPunct(after, ',') || isPunct(after, '}'))
    )
      return true;
  }
  return false;
}

/** Functions (by name) with a parameter declared as an error code, and that parameter's position. */
export function codeParameters(files: Array<{ text: string }>): Map<string, number> {
  const found = new Map<string, number>();
  for (const { text } of files) {
    const tokens = tokenize(text);
    const shape = structure(tokens);
    const { parent, match } = shape;
    tokens.forEach((t, index) => {
      if (!isWord(t, 'code') || !isPunct(tokens[index + 1], ':')) return;
      const open = parent[index]!;
      if (open < 0 || !isPunct(tokens[open], '(')) return;
      const type = expressionFrom(tokens, shape, index + 2);
      if (!type.some((x) => isWord(x, 'ErrorCode') || isWord(x, 'ErrorCodeOf'))) return;
      const position = tokens
        .slice(open + 1, index)
        .filter((x, k) => parent[open + 1 + k] === open && isPunct(x, ',')).length;
      const before = tokens[open - 1];
      const name = isPunct(before, '=') ? tokens[open - 2] : before;
      const close = match[open]!;
      const after = tokens[close + 1];
      const declares = isPunct(after, '=') || isPunct(after, '{') || isPunct(after, ':');
      if (declares && name?.kind === 'word') found.set(name.value, position);
    });
  }
  return found;
}

export function scanErrorCodes(file: string, text: string, parameters: Map<string, number>): FoundCode[] {
  const tokens = tokenize(text);
  const shape = structure(tokens);
  const { parent, match } = shape;
  const found: FoundCode[] = [];
  const add = (expression: Token[]) => {
    for (const t of literalsOf(expression)) {
      if (t.kind === 'str') found.push({ code: t.value, template: false, file });
      if (t.kind === 'tpl') found.push({ code: t.pattern, template: true, file });
    }
  };

  tokens.forEach((t, index) => {
    const prev = tokens[index - 1];
    // 1. `code: <expr>` as a property of an object literal that is not a field error.
    if (isWord(t, 'code') && isPunct(tokens[index + 1], ':') && (isPunct(prev, '{') || isPunct(prev, ','))) {
      const open = parent[index]!;
      // zod's ctx.addIssue({ code: 'too_small', … }) raises a zod issue code (reported per field), not a problem code.
      const zodIssue = isPunct(tokens[open - 1], '(') && isWord(tokens[open - 2], 'addIssue');
      if (open >= 0 && isPunct(tokens[open], '{') && !zodIssue && !hasPathKey(tokens, parent, open, match[open]!)) {
        add(expressionFrom(tokens, shape, index + 2));
      }
    }
    // 2. `const code = <expr>;`
    if ((isWord(prev, 'const') || isWord(prev, 'let')) && isWord(t, 'code') && isPunct(tokens[index + 1], '=')) {
      add(expressionFrom(tokens, shape, index + 2, [';']));
    }
    // 3. A call of a function that takes a code: the argument at that position.
    if (t.kind === 'word' && parameters.has(t.value) && isPunct(tokens[index + 1], '(')) {
      const open = index + 1;
      const close = match[open]!;
      if (isPunct(tokens[close + 1], '=') || isPunct(tokens[close + 1], '{')) return; // the declaration itself
      let position = 0;
      for (let k = open + 1; k < close; k++) {
        if (parent[k] !== open) continue;
        if (isPunct(tokens[k], ',')) position++;
        else if (position === parameters.get(t.value) && (k === open + 1 || isPunct(tokens[k - 1], ','))) {
          add(expressionFrom(tokens, shape, k));
        }
      }
    }
  });
  return found;
}
