/** A mapping-table lookup that reports values the table does not know instead of failing on them. */
export function lookup<T>(table: Record<string, T>, value: string | undefined | null, unknown: string[], what: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (Object.prototype.hasOwnProperty.call(table, value)) return table[value];
  unknown.push(`${what} ${value}`);
  return undefined;
}
