import type { Faults } from "./faults";
import type { ConditionContext, Principal } from "./policy/types";
import type { ProtocolName, WireResponse } from "./protocols/types";
import type { ResourceTagLookup } from "./resource-tags";
import type { World } from "./state";

/** Everything a handler may use. Handlers mutate `world` directly; the server persists after mutating calls. */
export interface OpContext {
  world: World;
  caller: Principal;
  /** The caller's account: where created resources live. */
  account: string;
  region: string;
  now: number;
  requestId: string;
  faults: Readonly<Faults>;
  /** False while the IAM propagation delay hides a freshly created role (see access.ts). */
  isPrincipalVisible(arn: string): boolean;
  /** In-process event bus between services (e.g. CodeCommit reference updates → EventBridge). */
  publish(topic: string, payload: unknown): void;
}

export interface Operation<I = any, O = any> {
  service: string;
  action: string;
  protocol: ProtocolName;
  /** Changes AWS resources (recorded in the call log; state is persisted afterwards). */
  mutating: boolean;
  /** Persist state even though not `mutating` (e.g. AssumeRole issues a session). */
  persists?: boolean;
  /** IAM action checked against the caller's identity policies, e.g. "iam:CreateRole". */
  iamAction: string;
  /**
   * "identity" (default): the server evaluates the caller's identity policies for iamAction on resources().
   * "none": always allowed (sts:GetCallerIdentity). "handler": the handler authorizes (AssumeRole, resource policies).
   */
  auth?: "identity" | "none" | "handler";
  resources(input: I, ctx: OpContext): string | string[];
  /** Service-specific condition keys for the authorization check (e.g. iam:PolicyARN, aws:RequestTag/…). */
  conditionContext?(input: I, ctx: OpContext): ConditionContext;
  /**
   * Further actions AWS authorizes for this request, checked after `iamAction` (identity policies), e.g. creating a
   * resource with tags also needs the tagging action (CreateKey with Tags → kms:TagResource).
   */
  alsoAuthorize?(input: I, ctx: OpContext): { action: string; resource: string; context?: ConditionContext }[];
  handler(input: I, ctx: OpContext): O | Promise<O>;
}

export interface ServiceDef {
  /** SigV4 signing name, e.g. "iam", "sts", "codecommit". */
  name: string;
  protocol: ProtocolName;
  /** Query protocol: the XML namespace of responses. */
  xmlns?: string;
  /** JSON protocol: X-Amz-Target prefix, e.g. "CodeCommit_20150413". */
  targetPrefix?: string;
  /** JSON protocol content type (1.0 or 1.1). */
  jsonContentType?: string;
  operations: Record<string, Operation>;
  /** How the tags of this service's taggable resources are found (aws:ResourceTag/<key>); registered by services/index.ts. */
  resourceTags?: ResourceTagLookup[];
  /** Cross-service wiring when a server starts (e.g. EventBridge subscribes to CodeCommit reference changes). */
  attach?(host: ServiceHost): void;
  /** Extra read-only control routes, "GET /_sandbox/…" → JSON value (e.g. EventBridge delivery decisions). */
  controlRoutes?: Record<string, (world: World) => unknown>;
  /** Dynamic control routes (bodies, path parameters, non-JSON answers): a response, or undefined when not handled. */
  control?(
    req: { method: string; path: string; body: Buffer },
    host: ServiceHost,
  ): WireResponse | undefined | Promise<WireResponse | undefined>;
  /** Rest protocols: the operation name of a raw request, for the call log (`mutating` comes from `operations`). */
  classify?: (req: Pick<RawRequest, "method" | "path" | "query">) => string | undefined;
  /** Rest protocols (S3) take the raw request instead of operations. */
  rawHandler?: (req: RawRequest, ctx: Omit<OpContext, "caller" | "account"> & { caller?: Principal }) => Promise<WireResponse>;
}

/** What a service may use outside a request: the live world, faults, the in-process topic bus, persistence. */
export interface ServiceHost {
  world(): World;
  faults(): Readonly<Faults>;
  subscribe(topic: string, fn: (payload: unknown) => void): () => void;
  publish(topic: string, payload: unknown): void;
  /** Save state after a change made outside a request (e.g. asynchronous event delivery). */
  persist(): void;
  /** Run when the server closes (clear timers). */
  onClose(fn: () => void): void;
  /** http://host:port once listening (for links such as build log deep links). */
  baseUrl(): string | undefined;
}

export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Helper so service files declare operations with inferred types. */
export type OperationDecl<I = any, O = any> = Omit<Operation<I, O>, "service" | "protocol" | "action">;
export function op<I, O>(def: OperationDecl<I, O>): OperationDecl<I, O> {
  return def;
}

export function defineService(def: Omit<ServiceDef, "operations"> & { operations: Record<string, OperationDecl> }): ServiceDef {
  const operations: Record<string, Operation> = {};
  for (const [action, o] of Object.entries(def.operations)) {
    operations[action] = { ...o, action, service: def.name, protocol: def.protocol } as Operation;
  }
  return { ...def, operations };
}
