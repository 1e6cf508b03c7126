/**
 * KMS data and authorization, shared with other services: S3 (SSE-KMS) and CodePipeline's simulated actions call
 * `kmsUse()` to perform a KMS operation on behalf of a caller exactly as the KMS API would authorize it.
 */
import { createHash } from "node:crypto";
import { authorize, baseContext, isPrincipalVisible, permissionsBoundaryFor, principalOrgId } from "../access";
import { AwsError, accessDenied } from "../errors";
import { uuid } from "../ids";
import { registerConditionKeys } from "../policy/conditions";
import { evaluatePolicies } from "../policy/evaluate";
import { type ConditionContext, type PolicyDocument, type PolicyStatement, type Principal, asList } from "../policy/types";
import { parsePolicyDocument } from "../policy/validate";
import { type World, regionSlice } from "../state";
import { type PrincipalIds, bareUniqueId, principalIdsOf, storedPolicyText } from "./principal-ids";

/** Condition keys the sandbox puts in the context of KMS calls (absent when not applicable, as in AWS). */
registerConditionKeys([
  "kms:KeySpec",
  "kms:KeyUsage",
  "kms:KeyOrigin",
  "kms:CallerAccount",
  "kms:ViaService",
  "kms:EncryptionAlgorithm",
  "kms:BypassPolicyLockoutSafetyCheck",
  "kms:RequestAlias",
  "kms:ResourceAliases",
  "kms:MultiRegion",
  "kms:EncryptionContextKeys",
  // kms:EncryptionContext:<key> is set for every pair of a request's encryption context (encryptionContextKeys below);
  // the one the portal's policies test, S3's aws:s3:arn, is therefore known absent when a request carries none.
  "kms:EncryptionContext:aws:s3:arn",
]);

/** kms:EncryptionContextKeys and kms:EncryptionContext:<key> of a request's encryption context (absent without one). */
export function encryptionContextKeys(ec: Record<string, string> | undefined): ConditionContext {
  if (!ec || !Object.keys(ec).length) return {};
  const out: ConditionContext = { "kms:EncryptionContextKeys": Object.keys(ec) };
  for (const [k, v] of Object.entries(ec)) out[`kms:EncryptionContext:${k}`] = v;
  return out;
}

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";
export interface KmsTag {
  TagKey: string;
  TagValue: string;
}

export interface KmsKey {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  createdAt: number;
  description: string;
  keySpec: "SYMMETRIC_DEFAULT";
  keyUsage: "ENCRYPT_DECRYPT";
  state: KeyState;
  /** Key policy exactly as written (JSON text); the policy name is always "default". */
  policy: string;
  /** Role principals of the key policy by unique id at write time (see principal-ids.ts). */
  policyPrincipalIds?: PrincipalIds;
  tags: KmsTag[];
  rotation: boolean;
  rotationPeriodDays?: number;
  deletionDate?: number;
  pendingWindowDays?: number;
  manager: "CUSTOMER" | "AWS";
}

export interface KmsAlias {
  name: string;
  arn: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface KmsState {
  keys: Record<string, KmsKey>;
  /** Keyed by alias name ("alias/x"). */
  aliases: Record<string, KmsAlias>;
}

export const kmsState = (world: World, account: string, region: string) =>
  regionSlice<KmsState>(world, account, region, "kms", () => ({ keys: {}, aliases: {} }));

/** Read-only lookup that never creates an account. */
function peekState(world: World, account: string, region: string): KmsState | undefined {
  return world.accounts[account]?.regions[region]?.kms as KmsState | undefined;
}

export const keyArnOf = (region: string, account: string, keyId: string) => `arn:aws:kms:${region}:${account}:key/${keyId}`;
export const aliasArnOf = (region: string, account: string, name: string) => `arn:aws:kms:${region}:${account}:${name}`;

export const kmsError = (code: string, message: string, status = 400) => new AwsError(code, message, status);
export const notFound = (message: string) => kmsError("NotFoundException", message);

export const defaultKeyPolicy = (account: string): string =>
  JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });

/** AWS managed keys the sandbox creates on first use, with AWS's policy ("through S3 for principals of the account"). */
const MANAGED_SERVICES = ["s3"];

function awsManagedKeyPolicy(account: string, region: string, service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: `Allow access through ${service.toUpperCase()} for all principals in the account that are authorized to use ${service.toUpperCase()}`,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com`, "kms:CallerAccount": account } },
      },
      {
        Sid: "Allow direct access to key metadata to the account",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ["kms:Describe*", "kms:Get*", "kms:List*"],
        Resource: "*",
      },
    ],
  });
}

export function createKeyRecord(
  world: World,
  account: string,
  region: string,
  now: number,
  o: { description?: string; policy?: string; tags?: KmsTag[]; manager?: "CUSTOMER" | "AWS" } = {},
): KmsKey {
  const keyId = uuid();
  const key: KmsKey = {
    keyId,
    arn: keyArnOf(region, account, keyId),
    account,
    region,
    createdAt: now,
    description: o.description ?? "",
    keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
    state: "Enabled",
    policy: defaultKeyPolicy(account),
    tags: o.tags ?? [],
    rotation: o.manager === "AWS",
    manager: o.manager ?? "CUSTOMER",
  };
  if (o.policy !== undefined) setKeyPolicy(world, key, o.policy);
  kmsState(world, account, region).keys[keyId] = key;
  return key;
}

function ensureAwsManagedKey(world: World, account: string, region: string, aliasName: string, now: number): KmsKey | undefined {
  const service = aliasName.slice("alias/aws/".length);
  if (!MANAGED_SERVICES.includes(service) || !world.accounts[account]) return undefined;
  const st = kmsState(world, account, region);
  const existing = st.aliases[aliasName];
  if (existing) return st.keys[existing.targetKeyId];
  const key = createKeyRecord(world, account, region, now, {
    description: `Default key that protects my ${service.toUpperCase()} objects when no other key is defined`,
    policy: awsManagedKeyPolicy(account, region, service),
    manager: "AWS",
  });
  st.aliases[aliasName] = {
    name: aliasName,
    arn: aliasArnOf(region, account, aliasName),
    targetKeyId: key.keyId,
    createdAt: now,
    updatedAt: now,
  };
  return key;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResolvedKey {
  key: KmsKey;
  viaAlias?: string;
}

/**
 * Key id, key ARN, `alias/name` (in the caller's account and region) or alias ARN → the key.
 * Aliases named `alias/aws/<service>` of AWS managed keys are created on first use, as in AWS.
 */
export function resolveKey(world: World, ref: unknown, callerAccount: string, region: string, now = Date.now()): ResolvedKey {
  if (typeof ref !== "string" || !ref)
    throw kmsError(
      "ValidationException",
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  let account = callerAccount,
    rgn = region,
    id = ref;
  const arn = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):((?:key|alias)\/.+)$/.exec(ref);
  if (arn) [, rgn, account, id] = arn;
  if (id.startsWith("alias/")) {
    const st = peekState(world, account, rgn);
    const alias = st?.aliases[id];
    const key = alias
      ? st!.keys[alias.targetKeyId]
      : id.startsWith("alias/aws/")
        ? ensureAwsManagedKey(world, account, rgn, id, now)
        : undefined;
    if (!key) throw notFound(`Alias ${aliasArnOf(rgn, account, id)} is not found.`);
    return { key, viaAlias: id };
  }
  const keyId = id.startsWith("key/") ? id.slice(4) : arn ? "" : id;
  if (!KEY_ID.test(keyId)) throw notFound(`Invalid keyId '${ref}'`);
  const key = peekState(world, account, rgn)?.keys[keyId.toLowerCase()];
  if (!key) throw notFound(`Key '${keyArnOf(rgn, account, keyId)}' does not exist`);
  return { key };
}

export function aliasesOf(world: World, key: KmsKey): string[] {
  return Object.values(peekState(world, key.account, key.region)?.aliases ?? {})
    .filter((a) => a.targetKeyId === key.keyId)
    .map((a) => a.name);
}

// ---------------------------------------------------------------------------------------------------------------
// Authorization: the key policy is the primary control. A key policy statement naming the key account's root
// ("arn:aws:iam::A:root" or "A") lets IAM policies of that account grant access ("enable IAM policies"); a statement
// naming the caller directly (role, session, "*") grants on its own for callers in the key's account. Callers in
// another account always need both the key policy (their root or their role) and their own identity policies.
// ---------------------------------------------------------------------------------------------------------------

export interface KmsDecision {
  allowed: boolean;
  reason: string;
}

const isAccountEntry = (e: string, account: string) => e === account || e === `arn:aws:iam::${account}:root`;

/** The key policy split into statements reaching the caller directly and those reaching it only through its account root. */
function splitByRoot(doc: PolicyDocument, account: string | undefined): { direct: PolicyDocument; viaRoot: PolicyDocument } {
  const direct: PolicyStatement[] = [];
  const viaRoot: PolicyStatement[] = [];
  for (const st of asList(doc.Statement)) {
    const p = st.Principal;
    if (!account || p === undefined || p === "*" || typeof p !== "object") {
      direct.push(st);
      continue;
    }
    const aws = asList(p.AWS);
    const rootEntries = aws.filter((e) => isAccountEntry(e, account));
    const others = aws.filter((e) => !isAccountEntry(e, account));
    if (rootEntries.length) viaRoot.push({ ...st, Principal: { AWS: rootEntries } });
    if (others.length || p.Service !== undefined) direct.push({ ...st, Principal: { ...p, AWS: others.length ? others : undefined } });
  }
  return { direct: { Statement: direct }, viaRoot: { Statement: viaRoot } };
}

export function kmsContext(world: World, p: Principal, key: KmsKey, extra: ConditionContext = {}): ConditionContext {
  const aliases = aliasesOf(world, key);
  return {
    "kms:CallerAccount": p.account,
    "kms:KeySpec": key.keySpec,
    "kms:KeyUsage": key.keyUsage,
    "kms:KeyOrigin": "AWS_KMS",
    "kms:MultiRegion": "false",
    "kms:ResourceAliases": aliases.length ? aliases : undefined,
    "aws:ResourceAccount": key.account,
    "aws:PrincipalOrgID": principalOrgId(world, p),
    ...Object.fromEntries(key.tags.map((t) => [`aws:ResourceTag/${t.TagKey}`, t.TagValue])),
    ...extra,
  };
}

/** Decide a KMS action on a key for a caller, with an explicit key policy (e.g. a policy about to be written). */
export function decideKms(
  world: World,
  p: Principal,
  action: string,
  key: KmsKey,
  o: { now: number; context?: ConditionContext; policy?: string },
): KmsDecision {
  let policy: PolicyDocument;
  try {
    policy = JSON.parse(o.policy ?? storedKeyPolicy(world, key)) as PolicyDocument;
  } catch {
    return { allowed: false, reason: "because the key policy cannot be parsed" };
  }
  const context = { ...kmsContext(world, p, key), ...o.context };
  const common = { now: o.now, region: key.region, context, requireBoth: false, resourceAccount: key.account };
  const identity = authorize(world, p, action, key.arn, common);
  const full = authorize(world, p, action, key.arn, { ...common, identityPolicies: [], resourcePolicy: policy });
  if (identity.failedClosed || full.failedClosed) return { allowed: false, reason: identity.failedClosed ? identity.reason : full.reason };
  if (identity.decision === "deny") return { allowed: false, reason: "with an explicit deny in an identity-based policy" };
  if (full.decision === "deny") return { allowed: false, reason: "with an explicit deny in a resource-based policy" };
  const { direct, viaRoot } = splitByRoot(policy, key.account);
  const ctx = { ...baseContext(p, o.now, key.region), ...context };
  // A key policy statement naming the role (not the session) is capped by the caller's permissions boundary.
  const permissionsBoundary = permissionsBoundaryFor(world, p);
  const rp = (doc: PolicyDocument) =>
    evaluatePolicies({
      identityPolicies: [],
      resourcePolicy: doc,
      principal: p,
      action,
      resource: key.arn,
      context: ctx,
      resourceAccount: key.account,
      requireBoth: false,
      permissionsBoundary,
    }).decision === "allow";
  const directAllow = rp(direct);
  const rootAllow = rp(viaRoot);
  const idAllow = identity.decision === "allow";
  const noResource = `because no resource-based policy allows the ${action} action`;
  const noIdentity = `because no identity-based policy allows the ${action} action`;
  if (p.account === key.account) {
    if (directAllow || (rootAllow && idAllow)) return { allowed: true, reason: "allowed" };
    return { allowed: false, reason: rootAllow ? noIdentity : noResource };
  }
  if (!directAllow && !rootAllow) return { allowed: false, reason: noResource };
  if (!idAllow && p.type !== "service") return { allowed: false, reason: noIdentity };
  return { allowed: true, reason: "allowed" };
}

export function assertKms(world: World, p: Principal, action: string, key: KmsKey, o: { now: number; context?: ConditionContext }): void {
  const d = decideKms(world, p, action, key, o);
  if (!d.allowed) throw accessDenied(`User: ${p.arn} is not authorized to perform: ${action} on resource: ${key.arn} ${d.reason}`);
}

/** IAM-only check (CreateKey, ListKeys, ListAliases, the alias side of alias operations). */
export function assertKmsIdentity(
  world: World,
  p: Principal,
  action: string,
  resource: string,
  o: { now: number; region: string; context?: ConditionContext },
): void {
  const r = authorize(world, p, action, resource, { now: o.now, region: o.region, context: o.context, requireBoth: false });
  if (r.decision !== "allow") {
    const reason = r.failedClosed
      ? r.reason
      : r.decision === "deny"
        ? "with an explicit deny in an identity-based policy"
        : `because no identity-based policy allows the ${action} action`;
    throw accessDenied(`User: ${p.arn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`);
  }
}

export function assertUsable(key: KmsKey): void {
  if (key.state === "Disabled") throw kmsError("DisabledException", `${key.arn} is disabled.`);
  if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Fake but reversible ciphertext: "SBXK" | 1 | len(arn) u16 | arn | 8 bytes of sha256(encryption context) | data^0xA5
// ---------------------------------------------------------------------------------------------------------------

const MAGIC = Buffer.from("SBXK");
const contextHash = (ec: Record<string, string> | undefined) =>
  createHash("sha256")
    .update(JSON.stringify(Object.entries(ec ?? {}).sort(([a], [b]) => a.localeCompare(b))))
    .digest()
    .subarray(0, 8);
const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0xa5));

export function sealCiphertext(key: KmsKey, plaintext: Buffer, ec?: Record<string, string>): Buffer {
  const arn = Buffer.from(key.arn, "utf8");
  const len = Buffer.alloc(2);
  len.writeUInt16BE(arn.length);
  return Buffer.concat([MAGIC, Buffer.from([1]), len, arn, contextHash(ec), xor(plaintext)]);
}

export function openCiphertext(blob: Buffer): { keyArn: string; ctxHash: Buffer; plaintext: Buffer } {
  const bad = () => kmsError("InvalidCiphertextException", "The ciphertext is invalid.");
  if (blob.length < 7 || !blob.subarray(0, 4).equals(MAGIC) || blob[4] !== 1) throw bad();
  const len = blob.readUInt16BE(5);
  if (blob.length < 7 + len + 8) throw bad();
  return {
    keyArn: blob.subarray(7, 7 + len).toString("utf8"),
    ctxHash: blob.subarray(7 + len, 15 + len),
    plaintext: xor(blob.subarray(15 + len)),
  };
}

export function checkContext(opened: { ctxHash: Buffer }, ec?: Record<string, string>): void {
  if (!opened.ctxHash.equals(contextHash(ec))) throw kmsError("InvalidCiphertextException", "The ciphertext is invalid.");
}

// ---------------------------------------------------------------------------------------------------------------
// Helper for other services
// ---------------------------------------------------------------------------------------------------------------

export type KmsUseAction =
  "kms:GenerateDataKey" | "kms:Decrypt" | "kms:Encrypt" | "kms:ReEncryptFrom" | "kms:ReEncryptTo" | "kms:DescribeKey";

export interface KmsUseRequest {
  principal: Principal;
  action: KmsUseAction;
  /** Key id, key ARN, alias name or alias ARN. Ids and alias names resolve in `account` + `region`. */
  keyArnOrAlias: string;
  region: string;
  /** The account ids and `alias/…` names resolve in (AWS: the caller's account). */
  account: string;
  now: number;
  /** e.g. "s3.us-east-1.amazonaws.com" when a service calls KMS for the caller (kms:ViaService). */
  viaService?: string;
  encryptionContext?: Record<string, string>;
}

/**
 * Authorize a KMS operation on behalf of a caller exactly as the KMS API does (key policy + IAM, key state) and
 * return the key. Throws the AWS error (AccessDeniedException, NotFoundException, DisabledException,
 * KMSInvalidStateException) as an AwsError.
 */
export function kmsUse(world: World, r: KmsUseRequest): KmsKey {
  const { key, viaAlias } = resolveKey(world, r.keyArnOrAlias, r.account, r.region, r.now);
  const context: ConditionContext = {
    "kms:ViaService": r.viaService,
    "aws:ViaAWSService": r.viaService ? "true" : "false",
    "kms:RequestAlias": viaAlias,
    "kms:EncryptionAlgorithm": r.action === "kms:DescribeKey" ? undefined : "SYMMETRIC_DEFAULT",
    ...encryptionContextKeys(r.encryptionContext),
  };
  assertKms(world, r.principal, r.action, key, { now: r.now, context });
  if (r.action !== "kms:DescribeKey") assertUsable(key);
  return key;
}

// ---------------------------------------------------------------------------------------------------------------
// Key policy validation (CreateKey / PutKeyPolicy)
// ---------------------------------------------------------------------------------------------------------------

/** The key policy as KMS now stores it: deleted (or recreated) role principals show as their unique id. */
export const storedKeyPolicy = (world: World, key: KmsKey): string => storedPolicyText(world, key.policy, key.policyPrincipalIds);

/** Write a key policy (already checked): remember the unique ids of the roles it names. */
export function setKeyPolicy(world: World, key: KmsKey, text: string): void {
  key.policy = text;
  key.policyPrincipalIds = principalIdsOf(world, JSON.parse(text) as PolicyDocument);
}

/** JSON text → an object to scan for principals before the grammar check (which reports other problems). */
function parseLoose(text: unknown): PolicyDocument {
  try {
    const v = typeof text === "string" ? JSON.parse(text) : undefined;
    return v && typeof v === "object" && !Array.isArray(v) && v.Statement ? (v as PolicyDocument) : { Statement: [] };
  } catch {
    return { Statement: [] };
  }
}

/** Botocore model of PolicyType: max 131072 characters (ValidationException above). */
const POLICY_MODEL_MAX = 131_072;
/** KMS quota "key policy document size": 32 KB (32,768 bytes), LimitExceededException (PutKeyPolicy API reference). */
const KEY_POLICY_MAX_BYTES = 32_768;

/**
 * Size, grammar, then every AWS principal must be visible (IAM propagation) and none may be a bare unique id (a
 * deleted role): MalformedPolicyDocumentException like KMS.
 */
export function checkKeyPolicy(
  world: World,
  text: unknown,
  now: number,
  delayMs: number,
  visible?: (arn: string) => boolean,
): PolicyDocument {
  if (typeof text === "string" && text.length > POLICY_MODEL_MAX)
    throw kmsError(
      "ValidationException",
      `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${POLICY_MODEL_MAX}`,
    );
  if (typeof text === "string" && Buffer.byteLength(text, "utf8") > KEY_POLICY_MAX_BYTES)
    throw kmsError(
      "LimitExceededException",
      `The key policy is ${Buffer.byteLength(text, "utf8")} bytes; the quota is ${KEY_POLICY_MAX_BYTES} bytes.`,
    );
  const invalidPrincipals = () =>
    kmsError("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
  if (bareUniqueId(parseLoose(text))) throw invalidPrincipals();
  let doc: PolicyDocument;
  try {
    doc = parsePolicyDocument(text, "resource", "MalformedPolicyDocument");
  } catch (e) {
    if (e instanceof AwsError) throw kmsError("MalformedPolicyDocumentException", e.message);
    throw e;
  }
  const seen = visible ?? ((arn: string) => isPrincipalVisible(world, arn, now, delayMs));
  for (const st of asList(doc.Statement)) {
    for (const block of [st.Principal, st.NotPrincipal]) {
      if (!block || block === "*") continue;
      for (const e of asList(block.AWS)) {
        if (e === "*" || /^\d{12}$/.test(e) || /^arn:aws:iam::\d{12}:root$/.test(e)) continue;
        if (!seen(e)) throw invalidPrincipals();
      }
    }
  }
  return doc;
}

/** Would `policy` still let the caller change the key policy? (KMS's policy lockout safety check.) */
export function passesLockoutCheck(world: World, p: Principal, key: KmsKey, policy: string, now: number): boolean {
  return decideKms(world, p, "kms:PutKeyPolicy", key, { now, policy, context: { "kms:BypassPolicyLockoutSafetyCheck": "false" } }).allowed;
}
