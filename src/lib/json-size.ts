export interface JsonSize {
  /** Levels of objects and arrays: `{}` is 1, `{"a":[1]}` is 2, a bare string or number 0. */
  depth: number;
  /** UTF-8 bytes of the value as JSON.stringify writes it. */
  bytes: number;
  /** True when the walk stopped early: depth or bytes went past a limit, and the counts are partial. */
  exceeded: boolean;
}

const encoder = new TextEncoder();
const utf8Length = (text: string) => encoder.encode(text).byteLength;

/**
 * Depth and serialized size of a parsed JSON value, without serializing it. JSON.stringify recurses and
 * throws RangeError on a value nested a few thousand levels deep (a 10 KB body can be): this walk keeps
 * its own stack and stops as soon as either limit is passed.
 */
export function measureJson(root: unknown, limits: { maxDepth: number; maxBytes: number }): JsonSize {
  let depth = 0;
  let bytes = 0;
  const pending: Array<{ value: unknown; level: number }> = [{ value: root, level: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, level } = next;
    if (value !== null && typeof value === 'object') {
      depth = Math.max(depth, level);
      // What JSON.stringify writes: arrays turn unserializable items into null, objects drop those keys.
      const children = Array.isArray(value)
        ? value.map((item) => ['', item] as const)
        : Object.entries(value).filter(([, item]) => serializable(item));
      bytes += 2 + Math.max(0, children.length - 1);
      for (const [key, item] of children) {
        if (!Array.isArray(value)) bytes += utf8Length(JSON.stringify(key)) + 1;
        pending.push({ value: item, level: level + 1 });
      }
    } else {
      bytes += utf8Length(serializable(value) ? (JSON.stringify(value) ?? 'null') : 'null');
    }
    if (depth > limits.maxDepth || bytes > limits.maxBytes) return { depth, bytes, exceeded: true };
  }
  return { depth, bytes, exceeded: false };
}

const serializable = (value: unknown) =>
  value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
