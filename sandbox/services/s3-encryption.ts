/** S3 default bucket encryption (SSE-S3 / SSE-KMS configuration). */
import { invalidArgument } from "./s3-store";
import { child, childrenNamed, malformedXml, textOf } from "./s3-xml";
import { ok, xmlOk, bool, bodyXml, bucketOp } from "./s3-ops";

export const encryptionOperations = {
  PutBucketEncryption: bucketOp("s3:PutEncryptionConfiguration", true, (i, _ctx, b) => {
    const x = bodyXml(i);
    const rules = childrenNamed(x, "Rule");
    if (x.name !== "ServerSideEncryptionConfiguration" || rules.length !== 1) throw malformedXml();
    const def = child(rules[0], "ApplyServerSideEncryptionByDefault");
    const alg = textOf(def, "SSEAlgorithm");
    if (!alg || !["AES256", "aws:kms", "aws:kms:dsse"].includes(alg)) throw malformedXml();
    const keyId = textOf(def, "KMSMasterKeyID") || undefined;
    if (keyId && alg === "AES256")
      throw invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
    b.encryption = { sseAlgorithm: alg as "AES256", kmsMasterKeyId: keyId, bucketKeyEnabled: bool(textOf(rules[0], "BucketKeyEnabled")) };
    return ok(200);
  }),
  GetBucketEncryption: bucketOp("s3:GetEncryptionConfiguration", false, (_i, _ctx, b) => {
    const e = b.encryption ?? { sseAlgorithm: "AES256", bucketKeyEnabled: false };
    return xmlOk("ServerSideEncryptionConfiguration", {
      Rule: {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.sseAlgorithm, KMSMasterKeyID: e.kmsMasterKeyId },
        BucketKeyEnabled: e.bucketKeyEnabled,
      },
    });
  }),
  DeleteBucketEncryption: bucketOp("s3:PutEncryptionConfiguration", true, (_i, _ctx, b) => {
    delete b.encryption;
    return ok(204);
  }),
};
