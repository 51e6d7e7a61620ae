/**
 * Where and why a JSON text fails to parse. `JSON.parse` gives the reason but, in Node 20,
 * not always the position; a small scanner finds the offset of the first offending character.
 */

/** Deepest nesting of arrays and objects a JSON example may have; far more than any response needs. */
export const MAX_JSON_DEPTH = 128;

const TOO_DEEP = `arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`;

/** Reason and 0-based offset of the first syntax error of `text` (which must fail JSON.parse). */
export function jsonError(text: string, error: Error): { reason: string; offset: number } {
  const reason = error.message
    .replace(/^JSON\.parse: /, '')
    .replace(/ in JSON at position \d+[\s\S]*$/, '')
    .replace(/ at position \d+[\s\S]*$/, '')
    .replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const stated = /at position (\d+)/.exec(error.message);
  if (stated?.[1] !== undefined) return { reason, offset: Number(stated[1]) };
  const scanned = scan(text);
  // Where the scanner gave up at the depth limit, the limit is the reason, not what JSON.parse met later.
  return { reason: scanned.tooDeep ? TOO_DEEP : reason, offset: scanned.offset };
}

/** Offset of the first character a strict JSON scanner rejects (text.length at an unexpected end). */
export function firstErrorOffset(text: string): number {
  return scan(text).offset;
}

/**
 * The scanner behind firstErrorOffset. It recurses once per level of nesting, so it stops at
 * MAX_JSON_DEPTH (`tooDeep`): far below the stack's limit, and a text that deep is rejected anyway.
 */
function scan(text: string): { offset: number; tooDeep: boolean } {
  let i = 0;
  let tooDeep = false;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i] ?? '';
      if (c === '"') return void i++;
      if (c === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u') {
          i += 2;
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) fail();
          i += 4;
        } else if ('"\\/bfnrt'.includes(next) && next) i += 2;
        else {
          i++;
          fail();
        }
      } else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail();
    i += m?.[0].length ?? 0;
  };
  const value = (depth: number): void => {
    if (depth > MAX_JSON_DEPTH) {
      tooDeep = true;
      fail();
    }
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return { offset: Math.min(at, text.length), tooDeep };
    throw at;
  }
  return { offset: text.length, tooDeep };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The first limit that a JSON text which does parse goes beyond (RFC 8259 §9 lets a parser set them):
 * nesting deeper than MAX_JSON_DEPTH, which later stages cannot serialize or compare safely, or a
 * number too large for a double, which `JSON.parse` turns into Infinity and `JSON.stringify` into null.
 * Null when the text stays within them.
 */
export function jsonLimitError(text: string): { reason: string; offset: number } | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_JSON_DEPTH) return { reason: TOO_DEEP, offset: i };
    } else if (c === ']' || c === '}') {
      depth--;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)?.[0] ?? c;
      if (!Number.isFinite(Number(number))) return { reason: `number \`${number.length > 40 ? `${number.slice(0, 40)}…` : number}\` is too large for a double`, offset: i };
      i += number.length - 1;
    }
  }
  return null;
}
