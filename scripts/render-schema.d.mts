export const SQLITE_SCHEMA: string;
export const PG_SCHEMA: string;
export const SQLITE_MIGRATIONS: string;
export const PG_MIGRATIONS: string;
export function renderPostgresSchema(sqlite: string): string;
export function writePostgresSchema(): boolean;
