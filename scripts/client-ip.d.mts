import type { BlockList } from "node:net";

export const CLIENT_IP_HEADER: string;
export function normalizeIp(raw: unknown): string | null;
export function parseTrustedProxies(raw: string | undefined | null): BlockList;
export function resolveClientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string | null;
