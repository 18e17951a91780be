// Records, operations and events hold Dates at many depths (timestamps, deadlines, details): stored as JSON, each
// Date is written as { "$date": <epoch ms> } and read back as a Date, so what the engine reads equals what it wrote.

const DATE = '$date';

export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, encoded: unknown) {
    const original = this[key];
    return original instanceof Date ? { [DATE]: original.getTime() } : encoded;
  });
}

export function fromStoredJson<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === DATE) return new Date((value as Record<string, number>)[DATE]);
    }
    return value;
  }) as T;
}
