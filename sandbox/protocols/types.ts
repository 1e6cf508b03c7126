export type ProtocolName = "query" | "json" | "rest-xml";

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ParsedRequest {
  /** Operation name, e.g. "CreateRole" (undefined when the request names none). */
  action?: string;
  input: Record<string, unknown>;
}
