// Python's string semantics where the server's rules depend on them, so the
// kit and the plugin agree on what is blank, how long a name is and whether
// two names are the same person.

// Exactly the characters for which Python's `str.isspace()` is true (what
// `str.strip()` and `str.split()` remove). JavaScript's `trim()` differs: it
// keeps U+001C–U+001F and U+0085 and removes U+FEFF.
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING = new RegExp(`[${PY_SPACE}]+$`, "u");
const RUNS = new RegExp(`[${PY_SPACE}]+`, "u");

/** Python's `value.strip()`. */
export function pyStrip(value: string): string {
  return value.replace(LEADING, "").replace(TRAILING, "");
}

/** Python's `value.split()`: words between runs of whitespace. */
export function pySplit(value: string): string[] {
  return pyStrip(value).split(RUNS).filter((word) => word !== "");
}

/** Python's `len(value)`: code points, not UTF-16 units. */
export function pyLength(value: string): number {
  return Array.from(value).length;
}

/**
 * Close to Python's `casefold()`: upper-casing first folds what lower-casing
 * alone keeps apart (ß → SS → ss, final sigma ς → Σ → σ).
 */
export function caseFold(value: string): string {
  return value.toUpperCase().toLowerCase();
}

/** Python's `repr()` of a string, as the server's messages quote keys. */
export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\") out += "\\\\";
    else if (char === quote) out += `\\${quote}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return out + quote;
}
