import { requirePage } from "@/lib/auth/guard";
import { AccountForm } from "@/components/accounts/account-form";
import { createAccountAction } from "../actions";

export const metadata = { title: "Register AWS account" };

export default async function NewAccountPage() {
  await requirePage("/accounts/new");
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">Register AWS account</h1>
      <AccountForm
        action={createAccountAction}
        submitLabel="Register account"
        initial={{ name: "", accountId: "", purpose: "tools", defaultRegion: "us-east-1", roleArn: "", externalId: "", organizationId: "" }}
      />
    </div>
  );
}
