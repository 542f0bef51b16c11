// Reading Saleor metadata in either shape a storefront holds it: the GraphQL
// list (`metadata { key value }`) or an object (`Record<string, string>`).

export type MetadataItem = { key: string; value: string };
export type Metadata = readonly MetadataItem[] | Readonly<Record<string, string>> | null | undefined;

/** The value stored under `key`, or null. */
export function metadataValue(metadata: Metadata, key: string): string | null {
  if (!metadata) return null;
  if (Array.isArray(metadata)) {
    const item = (metadata as readonly MetadataItem[]).find((entry) => entry.key === key);
    return item ? item.value : null;
  }
  const record = metadata as Readonly<Record<string, string>>;
  return Object.prototype.hasOwnProperty.call(record, key) ? (record[key] ?? null) : null;
}
