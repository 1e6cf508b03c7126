/** KMS (JSON 1.1, `TrentService.<Op>`): symmetric customer managed keys, aliases, key policies, fake crypto. */
import { randomBytes } from "node:crypto";
import type { ConditionContext } from "../policy/types";
import { type OpContext, defineService, op } from "../registry";
import { hasTags, requestTagContext, tagKeysContext } from "../policy/tags";
import {
  type KmsKey,
  type KmsTag,
  aliasArnOf,
  assertKms,
  assertKmsIdentity,
  assertUsable,
  checkContext,
  checkKeyPolicy,
  createKeyRecord,
  keyArnOf,
  kmsError,
  kmsState,
  notFound,
  openCiphertext,
  passesLockoutCheck,
  resolveKey,
  sealCiphertext,
  setKeyPolicy,
  storedKeyPolicy,
  encryptionContextKeys,
  type KmsState,
} from "./kms-store";
import { type PageRules, offsetPage } from "./shared/pagination";
import { type TagRules, checkTagList, constraintMessage } from "./shared/validation";
import { peekRegion } from "../state";
import type { ResourceTagLookup } from "../resource-tags";

type In = Record<string, any>;
const secs = (ms: number) => Math.floor(ms / 1000);
const validation = (msg: string) => kmsError("ValidationException", msg);
const constraint = (field: string, value: unknown, rule: string) => validation(constraintMessage(field, value, rule));

const KEY_SPECS = [
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "ECC_NIST_EDWARDS25519",
  "SYMMETRIC_DEFAULT",
  "HMAC_224",
  "HMAC_256",
  "HMAC_384",
  "HMAC_512",
  "SM2",
  "ML_DSA_44",
  "ML_DSA_65",
  "ML_DSA_87",
];
const KEY_USAGES = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];
const ALIAS_NAME = /^[a-zA-Z0-9:/_-]+$/;

export function keyMetadata(key: KmsKey) {
  return {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: secs(key.createdAt),
    Enabled: key.state === "Enabled",
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    DeletionDate: key.deletionDate !== undefined ? secs(key.deletionDate) : undefined,
    PendingDeletionWindowInDays: key.pendingWindowDays,
    Origin: "AWS_KMS",
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
  };
}

const TAG_RULES: TagRules = {
  maxKeyLength: 128,
  maxValueLength: 256,
  reservedPrefix: "aws:",
  badKey: () => kmsError("TagException", "Tag key must be 1 to 128 characters"),
  badValue: () => kmsError("TagException", "Tag value must be 0 to 256 characters"),
  reserved: () => kmsError("TagException", "Tags beginning with aws: are reserved"),
};
function checkTags(tags: unknown): KmsTag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw validation("Tags must be a list");
  return checkTagList(tags, "TagKey", "TagValue", TAG_RULES);
}

function upsertTags(key: KmsKey, tags: KmsTag[]) {
  for (const t of tags) {
    const i = key.tags.findIndex((x) => x.TagKey === t.TagKey);
    if (i >= 0) key.tags[i] = t;
    else key.tags.push(t);
  }
  if (key.tags.length > 50) throw kmsError("TagException", "Too many tags");
}

const b64 = (b: Buffer) => b.toString("base64");
function blob(v: unknown, field: string): Buffer {
  if (typeof v !== "string" || !v) throw constraint(field, v, "Member must not be null");
  return Buffer.from(v, "base64");
}
function ctxMap(v: unknown): Record<string, string> | undefined {
  return v && typeof v === "object" ? (v as Record<string, string>) : undefined;
}

interface KeyOpOptions {
  /** Operations AWS allows on a key in another account (crypto, DescribeKey, GetKeyRotationStatus). */
  crossAccount?: boolean;
  field?: string;
  /** Condition keys of the request itself (e.g. aws:RequestTag/… of TagResource). */
  context?: (i: In) => ConditionContext;
}

/** A key-scoped operation: resolve the key, then authorize with key policy + IAM (KMS semantics). */
function keyOp<T>(
  iamAction: string,
  mutating: boolean,
  handler: (i: In, ctx: OpContext, key: KmsKey, context: ConditionContext) => T,
  o: KeyOpOptions = {},
) {
  const field = o.field ?? "KeyId";
  return op<In, T>({
    iamAction,
    mutating,
    auth: "handler",
    resources: (i, ctx) =>
      typeof i[field] === "string" && i[field].startsWith("arn:") ? i[field] : keyArnOf(ctx.region, ctx.account, String(i[field] ?? "*")),
    handler: (i, ctx) => {
      const { key, viaAlias } = resolveKey(ctx.world, i[field], ctx.account, ctx.region, ctx.now);
      if (!o.crossAccount && key.account !== ctx.account) throw notFound(`Key '${key.arn}' does not exist`);
      const context: ConditionContext = { "kms:RequestAlias": viaAlias, ...o.context?.(i) };
      assertKms(ctx.world, ctx.caller, iamAction, key, { now: ctx.now, context });
      return handler(i, ctx, key, context);
    },
  });
}

function cryptoContext(ec: Record<string, string> | undefined): ConditionContext {
  return {
    "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
    ...encryptionContextKeys(ec),
  };
}

/** Crypto operations: resolve (any account), authorize with crypto condition keys, then require an enabled key. */
function cryptoOp<T>(iamAction: string, handler: (i: In, ctx: OpContext, key: KmsKey) => T) {
  return op<In, T>({
    iamAction,
    mutating: false,
    auth: "handler",
    resources: (i, ctx) => keyArnOf(ctx.region, ctx.account, String(i.KeyId ?? "*")),
    handler: (i, ctx) => {
      const { key, viaAlias } = resolveKey(ctx.world, i.KeyId, ctx.account, ctx.region, ctx.now);
      assertKms(ctx.world, ctx.caller, iamAction, key, {
        now: ctx.now,
        context: { "kms:RequestAlias": viaAlias, ...cryptoContext(ctxMap(i.EncryptionContext)) },
      });
      assertUsable(key);
      return handler(i, ctx, key);
    },
  });
}

/** The key a (sandbox) ciphertext names, for the declared resource of Decrypt/ReEncrypt. */
function ciphertextKeyArn(v: unknown): string | undefined {
  try {
    return openCiphertext(blob(v, "ciphertextBlob")).keyArn;
  } catch {
    return undefined;
  }
}

function dataKeyBytes(i: In): number {
  if (i.NumberOfBytes !== undefined && i.KeySpec !== undefined) throw validation("Please specify either number of bytes or key spec.");
  if (i.KeySpec === "AES_256") return 32;
  if (i.KeySpec === "AES_128") return 16;
  if (i.KeySpec !== undefined) throw constraint("keySpec", i.KeySpec, "Member must satisfy enum value set: [AES_256, AES_128]");
  const n = Number(i.NumberOfBytes);
  if (i.NumberOfBytes === undefined) throw validation("Please specify either number of bytes or key spec.");
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw constraint("numberOfBytes", i.NumberOfBytes, "Member must have value less than or equal to 1024");
  return n;
}

function checkAliasName(name: unknown): string {
  if (typeof name !== "string" || !name) throw constraint("aliasName", name, "Member must not be null");
  if (name.length > 256) throw constraint("aliasName", name, "Member must have length less than or equal to 256");
  if (!ALIAS_NAME.test(name)) throw constraint("aliasName", name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  if (!name.startsWith("alias/") || name.length === 6)
    throw validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  if (name.startsWith("alias/aws/"))
    throw kmsError("NotAuthorizedException", `Cannot create or modify alias with the reserved prefix alias/aws/: ${name}`);
  return name;
}

/** Alias operations: the alias is authorized by IAM only, its key by key policy + IAM. */
function aliasIdentity(ctx: OpContext, action: string, name: string) {
  assertKmsIdentity(ctx.world, ctx.caller, action, aliasArnOf(ctx.region, ctx.account, name), { now: ctx.now, region: ctx.region });
}
function targetKey(ctx: OpContext, ref: unknown, action: string): KmsKey {
  if (typeof ref === "string" && (ref.startsWith("alias/") || /:alias\//.test(ref)))
    throw validation("TargetKeyId must be a key id or key ARN, not an alias");
  const { key } = resolveKey(ctx.world, ref, ctx.account, ctx.region, ctx.now);
  if (key.account !== ctx.account || key.region !== ctx.region) throw notFound(`Key '${key.arn}' does not exist`);
  assertKms(ctx.world, ctx.caller, action, key, { now: ctx.now });
  if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
  if (key.manager === "AWS") throw kmsError("NotAuthorizedException", "An alias cannot point to an AWS managed key");
  return key;
}

const PAGES: PageRules = {
  defaultLimit: 100,
  maxLimit: 1000,
  badToken: () => kmsError("InvalidMarkerException", "Invalid marker"),
  badLimit: (limit) => constraint("limit", limit, "Member must have value between 1 and 1000"),
};
function page<T>(items: T[], marker: unknown, limit: unknown) {
  const { items: page, next } = offsetPage(items, typeof marker === "string" ? marker : undefined, limit, PAGES);
  return { items: page, Truncated: next !== undefined, NextMarker: next };
}

/** aws:ResourceTag/<k> of KMS keys. */
const resourceTags: ResourceTagLookup[] = [
  {
    arn: /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/,
    tags: (world, m) => peekRegion<KmsState>(world, m[2], m[1], "kms")?.keys?.[m[3]]?.tags,
  },
];

export const kmsService = defineService({
  name: "kms",
  resourceTags,
  protocol: "json",
  targetPrefix: "TrentService",
  jsonContentType: "application/x-amz-json-1.1",
  operations: {
    CreateKey: op<In, unknown>({
      iamAction: "kms:CreateKey",
      mutating: true,
      resources: () => "*",
      // Creating a key with tags also needs kms:TagResource in an IAM policy covering every key of the account and
      // Region (https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html).
      alsoAuthorize: (i, ctx) =>
        hasTags(i.Tags)
          ? [
              {
                action: "kms:TagResource",
                resource: keyArnOf(ctx.region, ctx.account, "*"),
                context: { ...requestTagContext(i.Tags), "kms:CallerAccount": ctx.caller.account },
              },
            ]
          : [],
      conditionContext: (i, ctx) => ({
        ...requestTagContext(i.Tags),
        "kms:CallerAccount": ctx.caller.account,
        "kms:KeySpec": i.KeySpec ?? i.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT",
        "kms:KeyUsage": i.KeyUsage ?? "ENCRYPT_DECRYPT",
        "kms:KeyOrigin": i.Origin ?? "AWS_KMS",
        "kms:MultiRegion": String(!!i.MultiRegion),
        "kms:BypassPolicyLockoutSafetyCheck": String(!!i.BypassPolicyLockoutSafetyCheck),
      }),
      handler: (i, ctx) => {
        const spec = i.KeySpec ?? i.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        if (!KEY_SPECS.includes(spec)) throw constraint("keySpec", spec, `Member must satisfy enum value set: [${KEY_SPECS.join(", ")}]`);
        const usage = i.KeyUsage ?? "ENCRYPT_DECRYPT";
        if (!KEY_USAGES.includes(usage))
          throw constraint("keyUsage", usage, `Member must satisfy enum value set: [${KEY_USAGES.join(", ")}]`);
        if (spec !== "SYMMETRIC_DEFAULT")
          throw kmsError("UnsupportedOperationException", `The sandbox supports only SYMMETRIC_DEFAULT keys, not ${spec}.`);
        if (usage !== "ENCRYPT_DECRYPT") throw validation(`KeyUsage ${usage} is not compatible with KeySpec SYMMETRIC_DEFAULT`);
        if ((i.Origin ?? "AWS_KMS") !== "AWS_KMS")
          throw kmsError("UnsupportedOperationException", `The sandbox supports only Origin AWS_KMS, not ${i.Origin}.`);
        if (i.MultiRegion) throw kmsError("UnsupportedOperationException", "The sandbox does not support multi-Region keys.");
        if (typeof i.Description === "string" && i.Description.length > 8192)
          throw constraint("description", "…", "Member must have length less than or equal to 8192");
        const tags = checkTags(i.Tags);
        if (i.Policy !== undefined) checkKeyPolicy(ctx.world, i.Policy, ctx.now, 0, ctx.isPrincipalVisible);
        const st = kmsState(ctx.world, ctx.account, ctx.region);
        const key = createKeyRecord(ctx.world, ctx.account, ctx.region, ctx.now, { description: i.Description, policy: i.Policy, tags });
        if (
          i.Policy !== undefined &&
          !i.BypassPolicyLockoutSafetyCheck &&
          !passesLockoutCheck(ctx.world, ctx.caller, key, i.Policy, ctx.now)
        ) {
          delete st.keys[key.keyId];
          throw kmsError(
            "MalformedPolicyDocumentException",
            "The new key policy will not allow you to update the key policy in the future.",
          );
        }
        return { KeyMetadata: keyMetadata(key) };
      },
    }),
    DescribeKey: keyOp("kms:DescribeKey", false, (_i, _ctx, key) => ({ KeyMetadata: keyMetadata(key) }), { crossAccount: true }),
    ListKeys: op<In, unknown>({
      iamAction: "kms:ListKeys",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const keys = Object.values(kmsState(ctx.world, ctx.account, ctx.region).keys).sort(
          (a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId),
        );
        const p = page(keys, i.Marker, i.Limit);
        return { Keys: p.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: p.Truncated, NextMarker: p.NextMarker };
      },
    }),
    ListAliases: op<In, unknown>({
      iamAction: "kms:ListAliases",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const st = kmsState(ctx.world, ctx.account, ctx.region);
        let aliases = Object.values(st.aliases);
        if (i.KeyId !== undefined) {
          const { key } = resolveKey(ctx.world, i.KeyId, ctx.account, ctx.region, ctx.now);
          if (key.account !== ctx.account) throw kmsError("InvalidArnException", `${i.KeyId} is not in your account`);
          aliases = aliases.filter((a) => a.targetKeyId === key.keyId);
        }
        aliases.sort((a, b) => a.name.localeCompare(b.name));
        const p = page(aliases, i.Marker, i.Limit);
        return {
          Aliases: p.items.map((a) => ({
            AliasName: a.name,
            AliasArn: a.arn,
            TargetKeyId: a.targetKeyId,
            CreationDate: secs(a.createdAt),
            LastUpdatedDate: secs(a.updatedAt),
          })),
          Truncated: p.Truncated,
          NextMarker: p.NextMarker,
        };
      },
    }),
    CreateAlias: op<In, unknown>({
      iamAction: "kms:CreateAlias",
      mutating: true,
      auth: "handler",
      resources: (i, ctx) => aliasArnOf(ctx.region, ctx.account, String(i.AliasName)),
      handler: (i, ctx) => {
        const name = checkAliasName(i.AliasName);
        aliasIdentity(ctx, "kms:CreateAlias", name);
        const key = targetKey(ctx, i.TargetKeyId, "kms:CreateAlias");
        const st = kmsState(ctx.world, ctx.account, ctx.region);
        if (st.aliases[name])
          throw kmsError("AlreadyExistsException", `An alias with the name ${aliasArnOf(ctx.region, ctx.account, name)} already exists`);
        st.aliases[name] = {
          name,
          arn: aliasArnOf(ctx.region, ctx.account, name),
          targetKeyId: key.keyId,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        };
        return {};
      },
    }),
    UpdateAlias: op<In, unknown>({
      iamAction: "kms:UpdateAlias",
      mutating: true,
      auth: "handler",
      resources: (i, ctx) => aliasArnOf(ctx.region, ctx.account, String(i.AliasName)),
      handler: (i, ctx) => {
        const name = checkAliasName(i.AliasName);
        aliasIdentity(ctx, "kms:UpdateAlias", name);
        const st = kmsState(ctx.world, ctx.account, ctx.region);
        const alias = st.aliases[name];
        if (!alias) throw notFound(`Alias ${aliasArnOf(ctx.region, ctx.account, name)} is not found.`);
        const current = st.keys[alias.targetKeyId];
        if (current) assertKms(ctx.world, ctx.caller, "kms:UpdateAlias", current, { now: ctx.now });
        const key = targetKey(ctx, i.TargetKeyId, "kms:UpdateAlias");
        alias.targetKeyId = key.keyId;
        alias.updatedAt = ctx.now;
        return {};
      },
    }),
    DeleteAlias: op<In, unknown>({
      iamAction: "kms:DeleteAlias",
      mutating: true,
      auth: "handler",
      resources: (i, ctx) => aliasArnOf(ctx.region, ctx.account, String(i.AliasName)),
      handler: (i, ctx) => {
        const name = checkAliasName(i.AliasName);
        aliasIdentity(ctx, "kms:DeleteAlias", name);
        const st = kmsState(ctx.world, ctx.account, ctx.region);
        const alias = st.aliases[name];
        if (!alias) throw notFound(`Alias ${aliasArnOf(ctx.region, ctx.account, name)} is not found.`);
        const key = st.keys[alias.targetKeyId];
        if (key) assertKms(ctx.world, ctx.caller, "kms:DeleteAlias", key, { now: ctx.now });
        delete st.aliases[name];
        return {};
      },
    }),
    GetKeyPolicy: keyOp("kms:GetKeyPolicy", false, (i, ctx, key) => {
      if (i.PolicyName !== undefined && i.PolicyName !== "default") throw notFound("No such policy exists");
      return { Policy: storedKeyPolicy(ctx.world, key), PolicyName: "default" };
    }),
    ListKeyPolicies: keyOp("kms:ListKeyPolicies", false, () => ({ PolicyNames: ["default"], Truncated: false })),
    PutKeyPolicy: keyOp(
      "kms:PutKeyPolicy",
      true,
      (i, ctx, key) => {
        if (i.PolicyName !== undefined && i.PolicyName !== "default") throw notFound("No such policy exists");
        checkKeyPolicy(ctx.world, i.Policy, ctx.now, 0, ctx.isPrincipalVisible);
        if (!i.BypassPolicyLockoutSafetyCheck && !passesLockoutCheck(ctx.world, ctx.caller, key, i.Policy, ctx.now))
          throw kmsError(
            "MalformedPolicyDocumentException",
            "The new key policy will not allow you to update the key policy in the future.",
          );
        if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
        setKeyPolicy(ctx.world, key, i.Policy);
        return {};
      },
      { context: (i) => ({ "kms:BypassPolicyLockoutSafetyCheck": String(!!i.BypassPolicyLockoutSafetyCheck) }) },
    ),
    EnableKeyRotation: keyOp("kms:EnableKeyRotation", true, (i, _ctx, key) => {
      if (key.state !== "Enabled")
        throw kmsError(
          key.state === "Disabled" ? "DisabledException" : "KMSInvalidStateException",
          `${key.arn} is ${key.state === "Disabled" ? "disabled" : "pending deletion"}.`,
        );
      if (i.RotationPeriodInDays !== undefined) {
        const d = Number(i.RotationPeriodInDays);
        if (!Number.isInteger(d) || d < 90 || d > 2560)
          throw constraint("rotationPeriodInDays", i.RotationPeriodInDays, "Member must have value between 90 and 2560");
        key.rotationPeriodDays = d;
      }
      key.rotation = true;
      key.rotationPeriodDays ??= 365;
      return {};
    }),
    DisableKeyRotation: keyOp("kms:DisableKeyRotation", true, (_i, _ctx, key) => {
      if (key.state !== "Enabled")
        throw kmsError(key.state === "Disabled" ? "DisabledException" : "KMSInvalidStateException", `${key.arn} is not enabled.`);
      key.rotation = false;
      return {};
    }),
    GetKeyRotationStatus: keyOp(
      "kms:GetKeyRotationStatus",
      false,
      (_i, _ctx, key) => {
        if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
        const period = key.rotationPeriodDays ?? 365;
        return {
          KeyRotationEnabled: key.rotation,
          KeyId: key.arn,
          RotationPeriodInDays: key.rotation ? period : undefined,
          NextRotationDate: key.rotation ? secs(key.createdAt + period * 86400_000) : undefined,
        };
      },
      { crossAccount: true },
    ),
    TagResource: keyOp(
      "kms:TagResource",
      true,
      (i, _ctx, key) => {
        if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
        upsertTags(key, checkTags(i.Tags));
        return {};
      },
      { context: (i) => requestTagContext(i.Tags) },
    ),
    UntagResource: keyOp(
      "kms:UntagResource",
      true,
      (i, _ctx, key) => {
        const keys: string[] = Array.isArray(i.TagKeys) ? i.TagKeys : [];
        key.tags = key.tags.filter((t) => !keys.includes(t.TagKey));
        return {};
      },
      { context: (i) => tagKeysContext(i.TagKeys) },
    ),
    ListResourceTags: keyOp("kms:ListResourceTags", false, (i, _ctx, key) => {
      const p = page(
        [...key.tags].sort((a, b) => a.TagKey.localeCompare(b.TagKey)),
        i.Marker,
        i.Limit ?? 50,
      );
      return { Tags: p.items, Truncated: p.Truncated, NextMarker: p.NextMarker };
    }),
    ScheduleKeyDeletion: keyOp("kms:ScheduleKeyDeletion", true, (i, ctx, key) => {
      const days = i.PendingWindowInDays === undefined ? 30 : Number(i.PendingWindowInDays);
      if (!Number.isInteger(days) || days < 7 || days > 30)
        throw constraint("pendingWindowInDays", i.PendingWindowInDays, "Member must have value between 7 and 30");
      if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
      key.state = "PendingDeletion";
      key.pendingWindowDays = days;
      key.deletionDate = ctx.now + days * 86400_000;
      return { KeyId: key.arn, DeletionDate: secs(key.deletionDate), KeyState: key.state, PendingWindowInDays: days };
    }),
    CancelKeyDeletion: keyOp("kms:CancelKeyDeletion", true, (_i, _ctx, key) => {
      if (key.state !== "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is not pending deletion.`);
      key.state = "Disabled";
      delete key.deletionDate;
      delete key.pendingWindowDays;
      return { KeyId: key.arn };
    }),
    EnableKey: keyOp("kms:EnableKey", true, (_i, _ctx, key) => {
      if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
      key.state = "Enabled";
      return {};
    }),
    DisableKey: keyOp("kms:DisableKey", true, (_i, _ctx, key) => {
      if (key.state === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
      key.state = "Disabled";
      return {};
    }),
    UpdateKeyDescription: keyOp("kms:UpdateKeyDescription", true, (i, _ctx, key) => {
      key.description = String(i.Description ?? "");
      return {};
    }),
    Encrypt: cryptoOp("kms:Encrypt", (i, _ctx, key) => {
      const pt = blob(i.Plaintext, "plaintext");
      if (pt.length > 4096) throw constraint("plaintext", "…", "Member must have length less than or equal to 4096");
      return {
        CiphertextBlob: b64(sealCiphertext(key, pt, ctxMap(i.EncryptionContext))),
        KeyId: key.arn,
        EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      };
    }),
    GenerateDataKey: cryptoOp("kms:GenerateDataKey", (i, _ctx, key) => {
      const pt = randomBytes(dataKeyBytes(i));
      return { CiphertextBlob: b64(sealCiphertext(key, pt, ctxMap(i.EncryptionContext))), Plaintext: b64(pt), KeyId: key.arn };
    }),
    GenerateDataKeyWithoutPlaintext: cryptoOp("kms:GenerateDataKeyWithoutPlaintext", (i, _ctx, key) => {
      const pt = randomBytes(dataKeyBytes(i));
      return { CiphertextBlob: b64(sealCiphertext(key, pt, ctxMap(i.EncryptionContext))), KeyId: key.arn };
    }),
    Decrypt: op<In, unknown>({
      iamAction: "kms:Decrypt",
      mutating: false,
      auth: "handler",
      resources: (i, ctx) => ciphertextKeyArn(i.CiphertextBlob) ?? keyArnOf(ctx.region, ctx.account, String(i.KeyId ?? "unknown")),
      handler: (i, ctx) => {
        const opened = openCiphertext(blob(i.CiphertextBlob, "ciphertextBlob"));
        const { key } = resolveKey(ctx.world, opened.keyArn, ctx.account, ctx.region, ctx.now);
        if (i.KeyId !== undefined) {
          const named = resolveKey(ctx.world, i.KeyId, ctx.account, ctx.region, ctx.now).key;
          if (named.arn !== key.arn)
            throw kmsError("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
        }
        const ec = ctxMap(i.EncryptionContext);
        assertKms(ctx.world, ctx.caller, "kms:Decrypt", key, { now: ctx.now, context: cryptoContext(ec) });
        assertUsable(key);
        checkContext(opened, ec);
        return { Plaintext: b64(opened.plaintext), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
      },
    }),
    ReEncrypt: op<In, unknown>({
      iamAction: "kms:ReEncryptFrom",
      mutating: false,
      auth: "handler",
      resources: (i, ctx) => ciphertextKeyArn(i.CiphertextBlob) ?? keyArnOf(ctx.region, ctx.account, String(i.SourceKeyId ?? "unknown")),
      handler: (i, ctx) => {
        const opened = openCiphertext(blob(i.CiphertextBlob, "ciphertextBlob"));
        const source = resolveKey(ctx.world, opened.keyArn, ctx.account, ctx.region, ctx.now).key;
        if (i.SourceKeyId !== undefined && resolveKey(ctx.world, i.SourceKeyId, ctx.account, ctx.region, ctx.now).key.arn !== source.arn)
          throw kmsError("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
        const dest = resolveKey(ctx.world, i.DestinationKeyId, ctx.account, ctx.region, ctx.now);
        const sec = ctxMap(i.SourceEncryptionContext),
          dec = ctxMap(i.DestinationEncryptionContext);
        assertKms(ctx.world, ctx.caller, "kms:ReEncryptFrom", source, { now: ctx.now, context: cryptoContext(sec) });
        assertKms(ctx.world, ctx.caller, "kms:ReEncryptTo", dest.key, {
          now: ctx.now,
          context: { ...cryptoContext(dec), "kms:RequestAlias": dest.viaAlias },
        });
        assertUsable(source);
        assertUsable(dest.key);
        checkContext(opened, sec);
        return {
          CiphertextBlob: b64(sealCiphertext(dest.key, opened.plaintext, dec)),
          SourceKeyId: source.arn,
          KeyId: dest.key.arn,
          SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
          DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        };
      },
    }),
  },
});
