export class NoPostgresError extends Error {}
export interface TestPostgres {
  /** URL of database `postgres` on the server (a superuser on a throwaway cluster). */
  url: string;
  /** True when the server came from TEST_POSTGRES_URL (not started, not stopped here). */
  external: boolean;
  /** Throwaway cluster only (absent with TEST_POSTGRES_URL): immediate stop, then start on the same port. */
  restart?: () => void;
  stop(): void;
}
export function startTestPostgres(): Promise<TestPostgres>;
export function withDatabase(url: string, name: string): string;
