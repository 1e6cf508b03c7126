import { titleFor } from "@/lib/ui/page-title";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { auditHistoryHref } from "@/lib/audit/links";
import { isAllowed } from "@/lib/auth/access-table";
import { accountById, accountName } from "@/lib/accounts/queries";
import { portalIdentity } from "@/lib/aws/portal-identity";
import { provisioningRoleDocuments } from "@/lib/accounts/provisioning-documents";
import { withoutExternalId } from "@/lib/accounts/external-id";
import { ConnectionDiagnosis, ConnectionStatus } from "@/components/accounts/connection-status";
import { connectionChecks, connectionTried, type ConnectionCode } from "@/lib/accounts/diagnose";
import { storedTitle } from "@/lib/accounts/connection-warning";
import { TestConnectionButton } from "@/components/accounts/test-connection-button";
import { DeleteAccountButton } from "@/components/accounts/delete-account-button";
import { CodeBlock } from "@/components/ui/code-block";
import { deleteAccountAction, testConnectionAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/accounts/[id]", "AWS account", async () => {
    const name = await accountName(id);
    return name && `AWS account ${name}`;
  });
}

export default async function AccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string; updated?: string }>;
}) {
  const { id } = await params;
  const user = await requirePage("/accounts/[id]", `/accounts/${id}`);
  const { created, updated } = await searchParams;
  const a = await accountById(id);
  if (!a) notFound();
  // The external id is for admins only: without it there is no trust policy and no download to show.
  const admin = isAllowed("GET /api/accounts/[id]/provisioning-role", user.role);
  const identity = await portalIdentity();
  const checks =
    a.lastTestOk === false
      ? connectionChecks(a.lastTestCode as ConnectionCode, { roleArn: a.roleArn, accountId: a.accountId, portalPrincipal: identity.arn })
      : [];
  const docs = provisioningRoleDocuments({
    accountId: a.accountId,
    purpose: a.purpose as "tools" | "repo" | "both",
    externalId: admin ? a.externalId : null,
    portalPrincipalArn: identity.arn,
    principal: identity.principal,
  });

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/accounts" className="hover:underline">
              AWS accounts
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">{a.name}</h1>
          <p className="font-mono text-sm text-slate-600 dark:text-slate-300">{a.accountId}</p>
        </div>
        {isAllowed("accounts.update", user.role) && (
          <div className="flex items-start gap-2">
            <Link
              href={`/accounts/${a.id}/edit`}
              className="rounded border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              Edit
            </Link>
            {isAllowed("/admin/audit", user.role) && (
              <Link
                href={auditHistoryHref({ targetType: "account", targetId: a.id })}
                className="rounded border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                Audit history
              </Link>
            )}
            <DeleteAccountButton accountId={a.id} name={a.name} action={deleteAccountAction} />
          </div>
        )}
      </div>
      {(created || updated) && (
        <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          {created
            ? "Account registered. Create its provisioning role with the documents below, then test the connection."
            : "Changes saved."}
        </p>
      )}
      <dl className="grid grid-cols-1 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white p-6 text-sm sm:grid-cols-2 dark:border-slate-700 dark:bg-slate-900">
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Purpose</dt>
          <dd>{a.purpose}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Default region</dt>
          <dd>{a.defaultRegion}</dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="text-slate-500 dark:text-slate-400">Provisioning role</dt>
          <dd className="break-all font-mono">{a.roleArn}</dd>
        </div>
        {admin && (
          <div className="sm:col-span-2">
            <dt className="text-slate-500 dark:text-slate-400">External id</dt>
            <dd className="break-all font-mono" data-testid="external-id">
              {a.externalId}
            </dd>
          </div>
        )}
        <div className="sm:col-span-2">
          <dt className="text-slate-500 dark:text-slate-400">Last connection test</dt>
          <dd>
            <ConnectionStatus ok={a.lastTestOk} at={a.lastTestAt} />
            {a.lastTestOk === false && checks.length > 0 ? (
              <>
                <p className="mt-1 font-medium" data-testid="last-test-title">
                  {storedTitle(a.lastTestMessage)}
                </p>
                <ConnectionDiagnosis tried={connectionTried({ roleArn: a.roleArn, portalPrincipal: identity.arn })} checks={checks} />
              </>
            ) : (
              a.lastTestMessage && (
                <p className="mt-1 text-slate-600 dark:text-slate-300">{withoutExternalId(a.lastTestMessage, a.externalId)}</p>
              )
            )}
            {a.lastTestArn && <p className="mt-1 font-mono text-xs">{a.lastTestArn}</p>}
          </dd>
        </div>
      </dl>
      {isAllowed("accounts.testConnection", user.role) && <TestConnectionButton accountId={a.id} action={testConnectionAction} />}

      <section className="space-y-4" aria-labelledby="role-docs">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="role-docs" className="text-lg font-semibold">
            Provisioning role
          </h2>
          {admin && (
            <div className="flex gap-2 text-sm">
              <a
                href={`/api/accounts/${a.id}/provisioning-role?format=json`}
                className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                download
              >
                Download JSON
              </a>
              <a
                href={`/api/accounts/${a.id}/provisioning-role?format=cloudformation`}
                className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                download
              >
                Download CloudFormation
              </a>
            </div>
          )}
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          In account {a.accountId}, first create the managed policy <span className="font-mono">{docs.boundaryArn}</span> with the
          permissions boundary below (every role the portal creates carries it), then the role{" "}
          <span className="font-mono">{a.roleArn.split("/").pop()}</span> with the trust policy and permission policy
          {docs.toolsPolicy
            ? " (and attach the tools permissions as a customer-managed policy: IAM allows only 10,240 characters of inline policy per role)"
            : ""}
          . The CloudFormation template does all of it. The portal runs as <span className="font-mono">{docs.portalPrincipalArn}</span>.
        </p>
        {admin ? (
          docs.trustPolicy ? (
            <CodeBlock title="Trust policy" code={JSON.stringify(docs.trustPolicy, null, 2)} testId="trust-policy" />
          ) : (
            <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              The portal could not tell which identity it runs as, so it cannot write the trust policy. Set PORTAL_PRINCIPAL_ARN to its IAM
              user or role ARN.
            </p>
          )
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="trust-policy-hidden">
            The trust policy carries the account&apos;s external id: only admins see it and download the template.
          </p>
        )}
        <CodeBlock
          title={`Permission policy (${a.purpose}, inline on the role)`}
          code={JSON.stringify(docs.inlinePolicy, null, 2)}
          testId="permission-policy"
        />
        {docs.toolsPolicy ? (
          <CodeBlock
            title={`Tools permissions (managed policy ${docs.toolsPolicyName} at path /portal/, attached to the role)`}
            code={JSON.stringify(docs.toolsPolicy, null, 2)}
            testId="tools-policy"
          />
        ) : null}
        <CodeBlock title="Permissions boundary" code={JSON.stringify(docs.boundaryPolicy, null, 2)} testId="boundary-policy" />
      </section>
    </div>
  );
}
