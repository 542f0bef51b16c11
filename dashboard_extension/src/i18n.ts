// Formatting follows the Dashboard's locale; texts are English for now.

export function formatMoney(
  money: { amount: number; currency: string } | null | undefined,
  locale: string,
): string {
  if (!money) return "—";
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
      money.amount,
    );
  } catch {
    return `${money.amount.toFixed(2)} ${money.currency}`;
  }
}

export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return "—";
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(value),
    );
  } catch {
    return value;
  }
}

/** Dashboard locale codes look like `EN`, `PL`, `PT_BR`; Intl wants `pt-BR`. */
export function toBcp47(locale: string | undefined): string {
  if (!locale) return "en";
  const [language, region] = locale.replace("-", "_").split("_");
  return region ? `${language.toLowerCase()}-${region.toUpperCase()}` : language.toLowerCase();
}
