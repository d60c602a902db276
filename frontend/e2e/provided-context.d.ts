// Values provided by backend/test/global-setup.ts (a fresh migrated database and a Redis prefix).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}
