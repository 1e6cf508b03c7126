import type { BlockList } from "node:net";

export const CLIENT_IP_HEADER: string;
export const CLIENT_IP_SIG_HEADER: string;
export const CLIENT_IP_KEY_ENV: string;
export function signClientIp(ip: string, key: string): string;
export function verifiedClientIp(ip: unknown, sig: unknown, key: string | undefined | null): string | null;
export function normalizeIp(raw: unknown): string | null;
export function parseTrustedProxies(raw: string | undefined | null): BlockList;
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string | null;
