export function diffSchemas(from: string | null, to: string, provider: "sqlite" | "postgresql"): string;
