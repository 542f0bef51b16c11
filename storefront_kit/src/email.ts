// Django's `validate_email` (5.2), which the plugin applies to pickup contact
// emails, rule for rule: the same addresses pass on both sides.

const UL = "\\u00a1-\\uffff"; // Django's "Unicode letters" range
const HOSTNAME = `[a-z${UL}0-9](?:[a-z${UL}0-9-]{0,61}[a-z${UL}0-9])?`;
const DOMAIN = `(?:\\.(?!-)[a-z${UL}0-9-]{1,63}(?<!-))*`;
const TLD = `\\.(?!-)(?:[a-z${UL}-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)`;
// `u`: ranges are code points, as in Python (an astral character is one
// character and outside \u00a1-\uffff); `i`: Python's re.IGNORECASE.
const DOMAIN_RE = new RegExp(`^${HOSTNAME}${DOMAIN}${TLD}$`, "iu");
const USER_RE = new RegExp(
  "^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$" +
    '|^"(?:[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f!#-\\[\\]-\\x7f]|\\\\[\\x01-\\x09\\x0b\\x0c\\x0e-\\x7f])*"$',
  "iu",
);
const LITERAL_RE = /^\[([A-F0-9:.]+)\]$/iu;
const DOMAIN_ALLOWLIST = ["localhost"];

function codePoints(value: string): number {
  return [...value].length;
}

/** Python's `ipaddress.IPv4Address` (strict: no leading zeros). */
function ipv4ToInt(value: string): number | null {
  const octets = value.split(".");
  if (octets.length !== 4) return null;
  let result = 0;
  for (const octet of octets) {
    if (!/^[0-9]{1,3}$/.test(octet)) return null;
    if (octet.length > 1 && octet[0] === "0") return null;
    const number = Number(octet);
    if (number > 255) return null;
    result = result * 256 + number;
  }
  return result;
}

/** Python's `ipaddress.IPv6Address`, within Django's 39-character limit. */
function isIPv6(value: string): boolean {
  if (value.length > 39) return false;
  const parts = value.split(":");
  if (parts.length < 3) return false;
  if (parts[parts.length - 1]!.includes(".")) {
    const ipv4 = ipv4ToInt(parts.pop()!);
    if (ipv4 === null) return false;
    parts.push(Math.floor(ipv4 / 0x10000).toString(16), (ipv4 % 0x10000).toString(16));
  }
  if (parts.length > 9) return false;
  let skip: number | null = null;
  for (let i = 1; i < parts.length - 1; i += 1) {
    if (!parts[i]) {
      if (skip !== null) return false;
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip !== null) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (!parts[0]) {
      hi -= 1;
      if (hi) return false;
    }
    if (!parts[parts.length - 1]) {
      lo -= 1;
      if (lo) return false;
    }
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) return false;
    hi = parts.length;
    lo = 0;
  }
  const hextets = [...parts.slice(0, hi), ...parts.slice(parts.length - lo)];
  return hextets.every((part) => /^[0-9a-f]{1,4}$/i.test(part));
}

function validDomainPart(domain: string): boolean {
  if (DOMAIN_RE.test(domain)) return true;
  const literal = LITERAL_RE.exec(domain);
  if (!literal) return false;
  const address = literal[1]!;
  return ipv4ToInt(address) !== null || isIPv6(address);
}

/** Whether Django's `validate_email` accepts the address. */
export function isValidEmail(value: string): boolean {
  if (!value || !value.includes("@") || codePoints(value) > 320) return false;
  const at = value.lastIndexOf("@");
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!USER_RE.test(user)) return false;
  return DOMAIN_ALLOWLIST.includes(domain) || validDomainPart(domain);
}
