import { checkAssumeRole } from "../access";
import { AwsError, accessDenied, validationError } from "../errors";
import { awsId, secret } from "../ids";
import { defineService, op } from "../registry";
import { findRoleByArn } from "./iam-model";
import { constraint } from "./shared/validation";

interface AssumeRoleInput {
  RoleArn?: string;
  RoleSessionName?: string;
  ExternalId?: string;
  SourceIdentity?: string;
  DurationSeconds?: string;
  Policy?: string;
  Tags?: { Key: string; Value: string }[];
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export const stsService = defineService({
  name: "sts",
  protocol: "query",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  operations: {
    GetCallerIdentity: op({
      mutating: false,
      iamAction: "sts:GetCallerIdentity",
      auth: "none", // AWS answers GetCallerIdentity even under an explicit deny
      resources: () => "*",
      handler: (_input, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.account, Arn: ctx.caller.arn }),
    }),

    AssumeRole: op<AssumeRoleInput, unknown>({
      mutating: false,
      persists: true,
      iamAction: "sts:AssumeRole",
      auth: "handler",
      resources: (i) => i.RoleArn ?? "*",
      handler: (i, ctx) => {
        if (!i.RoleArn || !/^arn:aws:iam::\d{12}:role\/.+/.test(i.RoleArn))
          throw constraint("roleArn", i.RoleArn, "Member must satisfy ARN format");
        if (!i.RoleSessionName || !SESSION_NAME.test(i.RoleSessionName))
          throw constraint("roleSessionName", i.RoleSessionName, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        if (i.ExternalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(i.ExternalId))
          throw validationError(
            `1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
          );
        if (i.SourceIdentity !== undefined && !/^[\w+=,.@-]{2,64}$/.test(i.SourceIdentity))
          throw validationError(
            `1 validation error detected: Value at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
          );
        if (i.SourceIdentity !== undefined && ctx.caller.sourceIdentity !== undefined && i.SourceIdentity !== ctx.caller.sourceIdentity)
          throw accessDenied("The source identity of a role session cannot be changed once set.");
        if (i.Policy !== undefined) throw new AwsError("InvalidAction", "The sandbox does not implement session policies (Policy).", 400);
        const tags: Record<string, string> = {};
        for (const t of i.Tags ?? []) tags[t.Key] = t.Value;

        const check = checkAssumeRole(ctx.world, ctx.caller, i.RoleArn, {
          now: ctx.now,
          iamPropagationDelayMs: ctx.faults.iamPropagationDelayMs,
          externalId: i.ExternalId,
          sourceIdentity: i.SourceIdentity,
          roleSessionName: i.RoleSessionName,
          tags,
        });
        if (!check.ok) throw accessDenied(check.message);

        const role = findRoleByArn(ctx.world, i.RoleArn)!;
        const duration = i.DurationSeconds === undefined ? 3600 : Number(i.DurationSeconds);
        // Role chaining caps sessions at one hour, as AWS does.
        const max = ctx.caller.type === "assumed-role" ? 3600 : role.maxSessionDuration;
        if (!Number.isInteger(duration) || duration < 900 || duration > max)
          throw validationError(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);

        const account = i.RoleArn.split(":")[4];
        const sourceIdentity = i.SourceIdentity ?? ctx.caller.sourceIdentity;
        const accessKeyId = awsId("ASIA", 20);
        const session = {
          accessKeyId,
          secretAccessKey: secret(40),
          sessionToken: `SANDBOX${secret(120)}`,
          account,
          roleArn: role.arn,
          roleId: role.roleId,
          sessionName: i.RoleSessionName,
          sourceIdentity,
          tags: Object.keys(tags).length ? tags : undefined,
          expiresAt: ctx.now + duration * 1000,
        };
        // Forget expired sessions so the state file does not grow without bound.
        for (const [k, s] of Object.entries(ctx.world.sessions)) if (s.expiresAt <= ctx.now) delete ctx.world.sessions[k];
        ctx.world.sessions[accessKeyId] = session;
        return {
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretAccessKey: session.secretAccessKey,
            SessionToken: session.sessionToken,
            Expiration: new Date(session.expiresAt),
          },
          AssumedRoleUser: {
            AssumedRoleId: `${role.roleId}:${i.RoleSessionName}`,
            Arn: `arn:aws:sts::${account}:assumed-role/${role.roleName}/${i.RoleSessionName}`,
          },
          PackedPolicySize: Object.keys(tags).length ? 1 : undefined,
          SourceIdentity: sourceIdentity,
        };
      },
    }),
  },
});
