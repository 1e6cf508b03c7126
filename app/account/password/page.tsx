import { requirePage } from "@/lib/auth/guard";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { changeOwnPasswordAction } from "./actions";

export const metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const user = await requirePage("/account/password");
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">Change password</h1>
      {user.mustChangePassword && (
        <p
          role="status"
          className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
          data-testid="must-change-password"
        >
          You signed in with a generated one-time password. Choose your own password to continue.
        </p>
      )}
      <ChangePasswordForm action={changeOwnPasswordAction} />
    </div>
  );
}
