/**
 * Who acts, one shape everywhere: the audit log records it (actorId, actorEmail), AWS sees its email as the assumed
 * role's SourceIdentity, and the worker and the drift schedule act as the system under a name of their own.
 */
export interface Actor {
  id?: string | null;
  email?: string | null;
}

/** Where a person's request came from (the audit log records it beside the actor). */
export interface RequestClient {
  ip?: string | null;
  userAgent?: string | null;
}

/** A signed-in person (lib/auth/session.ts `CurrentUser`, whose role is one of lib/auth/roles.ts). */
export interface ActingPerson {
  id: string;
  email: string;
  name: string | null;
  role: string;
}

/** The one actor context every service function, action and route receives: who acts, and from where. */
export interface ActorContext<U extends ActingPerson = ActingPerson> {
  user: U;
  client: RequestClient;
}

/** The system acting under `name` (e.g. "worker", "portal-drift-check"), as the audit log shows it. */
export function systemActor(name: string): Actor {
  return { email: `system:${name}` };
}
