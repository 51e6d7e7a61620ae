/**
 * Where and why a JSON text fails to parse. `JSON.parse` gives the reason but, in Node 20,
 * not always the position; a small scanner finds the offset of the first offending character.
 */

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
  return { reason, offset: stated?.[1] !== undefined ? Number(stated[1]) : firstErrorOffset(text) };
}

/** Offset of the first character a strict JSON scanner rejects (text.length at an unexpected end). */
export function firstErrorOffset(text: string): number {
  let i = 0;
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
    if (depth > 10_000) fail();
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
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
  return text.length;
}
