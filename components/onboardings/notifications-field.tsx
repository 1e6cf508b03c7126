"use client";

import { useState } from "react";

/** Opt-in notifications: a checkbox and the email recipients (one field; addresses separated by commas or new lines). */
export function NotificationsField({
  initialEnabled = false,
  initialEmails = [],
  errors,
}: {
  initialEnabled?: boolean;
  initialEmails?: string[];
  errors?: Record<string, string[] | undefined>;
}) {
  const [enabled, setEnabled] = useState(initialEnabled);
  const emailErrors = errors?.notificationEmails;
  return (
    <fieldset className="space-y-3 text-sm">
      <legend className="font-medium text-slate-700 dark:text-slate-200">Notifications</legend>
      <div className="flex items-start gap-2">
        <input
          type="checkbox"
          id="notifications"
          name="notifications"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          aria-describedby="notifications-desc"
          className="mt-1"
        />
        <div>
          <label htmlFor="notifications">Notify about failed runs and pending approvals</label>
          <p id="notifications-desc" className="text-xs text-slate-600 dark:text-slate-300">
            A CodeStar Notifications rule on the pipeline publishes to an SNS topic in the tools account. The onboarding page shows the
            topic ARN, so chat tools can subscribe to it too.
          </p>
        </div>
      </div>
      <div>
        <label htmlFor="notificationEmails" className="block font-medium text-slate-700 dark:text-slate-200">
          Email recipients
        </label>
        <textarea
          id="notificationEmails"
          name="notificationEmails"
          rows={2}
          defaultValue={initialEmails.join("\n")}
          disabled={!enabled}
          aria-invalid={emailErrors?.length ? true : undefined}
          aria-describedby="notificationEmails-desc notificationEmails-error"
          className="mt-1 w-full rounded border border-slate-300 bg-white px-3 py-2 font-mono text-slate-900 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
          placeholder="team@example.com"
        />
        <p id="notificationEmails-desc" className="text-xs text-slate-600 dark:text-slate-300">
          Up to 10 addresses, separated by commas or new lines, in your organisation&rsquo;s email domains (the messages carry failure
          details). AWS emails each one a confirmation link; nothing is delivered to an address until it is confirmed.
        </p>
        <div id="notificationEmails-error" aria-live="polite">
          {emailErrors?.map((e) => (
            <p key={e} className="mt-1 text-sm text-red-700 dark:text-red-300">
              {e}
            </p>
          ))}
        </div>
      </div>
    </fieldset>
  );
}
