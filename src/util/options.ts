/** Every field optional, recursively; arrays and functions are replaced whole, never merged. */
export type DeepPartial<T> = T extends readonly unknown[] | ((...args: never[]) => unknown)
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/**
 * Merges user options over defaults into a new object. Plain objects merge key by key;
 * arrays and every other value replace the default, so a site's category list is its own.
 */
export function mergeOptions<T>(defaults: T, ...overrides: (DeepPartial<NoInfer<T>> | undefined)[]): T {
  let result: unknown = defaults;
  for (const override of overrides) result = mergeValue(result, override);
  return result as T;
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValue(base[key], value);
  return merged;
}
