// Replies as Upstash sends them: Redis replies flattened to JSON, and base64 strings when the client asks.

export type Json = string | number | null | Json[];

/** ioredis reply → the JSON Upstash would send. */
function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : null; // Redis maps Lua true → 1, false → nil
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Error) return value.message; // error nested inside an array reply
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return [...value].flatMap(([k, v]) => [toJson(k), toJson(v)]);
  // ioredis-mock answers HGETALL & co. with objects; Upstash sends flat [field, value, ...].
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, toJson(v)]);
  return String(value);
}

function base64(value: Json): Json {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (Array.isArray(value)) return value.map(base64);
  return value;
}

/** The client keeps a top-level "OK" as is and base64-decodes every other string. */
export function encodeResult(value: unknown, b64: boolean): Json {
  const json = toJson(value);
  return b64 && json !== 'OK' ? base64(json) : json;
}
