/**
 * An answer other than success, thrown inside a route handler: defineRoute turns it into `{error, ...extra}`
 * JSON with this status (lib/routes/responses.ts). Unlike an unexpected error it is not logged.
 */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
