"use client";

import { useState } from "react";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { MIN_PASSWORD } from "@/lib/users/limits";

/** "Generate a password" or "Set a password" with the field shown only when setting one. */
export function PasswordFields({ errors }: { errors: Record<string, string[] | undefined> }) {
  const [mode, setMode] = useState<"generate" | "set">("generate");
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Initial password</legend>
        <div className="mt-1 flex flex-wrap gap-6 text-sm" aria-describedby="passwordMode-error">
          <label className="flex items-center gap-2">
            <input type="radio" name="passwordMode" value="generate" checked={mode === "generate"} onChange={() => setMode("generate")} />
            Generate a password (shown once)
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="passwordMode" value="set" checked={mode === "set"} onChange={() => setMode("set")} />
            Set a password
          </label>
        </div>
        <div id="passwordMode-error" aria-live="polite">
          {errors.passwordMode?.map((e) => (
            <p key={e} className="mt-1 text-sm text-red-700 dark:text-red-300">
              {e}
            </p>
          ))}
        </div>
      </fieldset>
      {mode === "set" && (
        <Field id="password" label="Password" hint={`At least ${MIN_PASSWORD} characters.`} errors={errors.password}>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            required
            aria-invalid={errors.password?.length ? true : undefined}
            aria-describedby={describedBy("password", true)}
            className={inputClass}
          />
        </Field>
      )}
    </>
  );
}
