import { expect, type Page, type APIRequestContext } from "@playwright/test";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { sandboxRootClient } from "../lib/aws/client-factory";

export const PASSWORD = process.env.DEMO_ADMIN_PASSWORD ?? "demo-admin-password";
export const SANDBOX_URL = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4599}`;
export const users = {
  admin: "admin@example.com",
  engineer: "engineer@example.com",
  viewer: "viewer@example.com",
} as const;

/** Signs in through the real form. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(email);
}

/**
 * What a person does in AWS after reading the account page, as the template does: create the permissions
 * boundary policy (when given), then the provisioning role with those documents.
 */
export async function createRoleInSandbox(
  accountId: string,
  roleName: string,
  trustPolicy: string,
  permissionPolicy?: string,
  boundaryPolicy?: string,
  tools?: { name: string; policy: string },
) {
  const iam = sandboxRootClient(IAMClient, accountId, { endpoint: SANDBOX_URL });
  if (boundaryPolicy)
    await iam.send(new CreatePolicyCommand({ PolicyName: "crossline-portal-boundary", Path: "/portal/", PolicyDocument: boundaryPolicy }));
  await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicy }));
  if (permissionPolicy)
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "portal-provisioning", PolicyDocument: permissionPolicy }));
  if (tools) {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: tools.name, Path: "/portal/", PolicyDocument: tools.policy }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: created.Policy!.Arn! }));
  }
}

export function uniqueAccountId(): string {
  return String(300000000000 + Math.floor(Math.random() * 699999999999)).padStart(12, "0");
}

export async function sandboxHealthy(request: APIRequestContext) {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/health`);
  expect(res.ok()).toBeTruthy();
}

/** Apply from the plan page: the Apply button opens its confirmation, whose Apply starts the run. */
export async function confirmApply(page: Page) {
  const dialog = page.getByTestId("apply-dialog");
  // A click that lands before the page has hydrated does nothing: click again until the dialog opens.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByTestId("apply-open").click({ timeout: 2_000 });
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
}
