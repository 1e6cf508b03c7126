import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { accountById, accountName } from "@/lib/accounts/queries";
import { AccountForm } from "@/components/accounts/account-form";
import { updateAccountAction } from "../../actions";
import { titleFor } from "@/lib/ui/page-title";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/accounts/[id]/edit", "Edit AWS account", async () => {
    const name = await accountName(id);
    return name && `Edit AWS account ${name}`;
  });
}

export default async function EditAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePage("/accounts/[id]/edit", `/accounts/${id}/edit`);
  const a = await accountById(id);
  if (!a) notFound();
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">Edit {a.name}</h1>
      <AccountForm
        action={updateAccountAction}
        submitLabel="Save changes"
        initial={{
          id: a.id,
          name: a.name,
          accountId: a.accountId,
          purpose: a.purpose,
          defaultRegion: a.defaultRegion,
          roleArn: a.roleArn,
          externalId: a.externalId,
          organizationId: a.organizationId ?? "",
        }}
      />
    </div>
  );
}
