import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { MAX_PASSWORD, MIN_PASSWORD } from "./limits";

/** Form contracts of the user admin pages, shared by the actions and the tests. */

const userId = z.string().trim().min(1, "Missing user.").max(64, "Missing user.");
const role = z.enum(ROLES, { error: "Choose admin, engineer or viewer." });
const passwordMode = z.enum(["generate", "set"], { error: "Choose whether to generate or set a password." });

export const email = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address, such as dana@example.com." }));

/** `password` is required, 12–200 characters, only when the admin chooses to set it. */
function passwordRule(v: { passwordMode: "generate" | "set"; password?: string }, ctx: z.RefinementCtx) {
  if (v.passwordMode !== "set") return;
  const p = v.password ?? "";
  if (p.length < MIN_PASSWORD)
    ctx.addIssue({ code: "custom", path: ["password"], message: `A password is at least ${MIN_PASSWORD} characters.` });
  else if (p.length > MAX_PASSWORD)
    ctx.addIssue({ code: "custom", path: ["password"], message: `A password is at most ${MAX_PASSWORD} characters.` });
}

export const createUserSchema = z
  .object({
    email,
    name: z
      .string()
      .trim()
      .max(100, "A name is at most 100 characters.")
      .optional()
      .transform((v) => (v ? v : null)),
    role,
    passwordMode,
    password: z.string().optional(),
  })
  .superRefine(passwordRule);
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const setRoleSchema = z.object({ id: userId, role });

export const setDisabledSchema = z.object({
  id: userId,
  disabled: z.enum(["true", "false"], { error: "Missing state." }).transform((v) => v === "true"),
});

export const resetPasswordSchema = z.object({ id: userId, passwordMode, password: z.string().optional() }).superRefine(passwordRule);
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

/** The self-service change: the current password, and a new one that follows the length rules and differs. */
export const changeOwnPasswordSchema = z
  .object({
    current: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(MAX_PASSWORD, "Enter your current password."),
    password: z.string({ error: "Choose a new password." }),
    confirm: z.string({ error: "Repeat the new password." }),
  })
  .superRefine((v, ctx) => {
    if (v.password.length < MIN_PASSWORD)
      ctx.addIssue({ code: "custom", path: ["password"], message: `A password is at least ${MIN_PASSWORD} characters.` });
    else if (v.password.length > MAX_PASSWORD)
      ctx.addIssue({ code: "custom", path: ["password"], message: `A password is at most ${MAX_PASSWORD} characters.` });
    else if (v.password === v.current)
      ctx.addIssue({ code: "custom", path: ["password"], message: "Choose a password different from the current one." });
    if (v.confirm !== v.password) ctx.addIssue({ code: "custom", path: ["confirm"], message: "The two new passwords differ." });
  });
export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordSchema>;
