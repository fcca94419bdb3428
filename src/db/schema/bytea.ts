import { customType } from 'drizzle-orm/pg-core';

/** Raw bytes (hashes). The driver reads bytea as a Buffer, which is a Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});
