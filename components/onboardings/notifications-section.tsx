import type { NotificationStatus } from "@/lib/notifications/status";

/** The onboarding's notifications: the SNS topic (for chat tools) and each email subscription's status. */
export function NotificationsSection({ status }: { status: NotificationStatus }) {
  const { enabled, topicArn, emails, subscriptions, readError } = status;
  const confirmed = (email: string) => subscriptions?.find((s) => s.endpoint.toLowerCase() === email.toLowerCase());
  return (
    <section className="space-y-3" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading" className="text-lg font-semibold">
        Notifications
      </h2>
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <p>
          {enabled
            ? "Failed runs and pending approvals are published to the SNS topic below."
            : topicArn
              ? "Turned off: the next apply deletes the notification rule and the topic."
              : "Off. Edit the onboarding to be notified about failed runs and pending approvals."}
        </p>
        {enabled && !topicArn && <p className="text-slate-600 dark:text-slate-300">The topic is created by the next apply.</p>}
        {topicArn && (
          <div>
            <p className="text-slate-600 dark:text-slate-300">
              Topic ARN (subscribe chat tools such as Amazon Q Developer in chat applications to it)
            </p>
            <code data-testid="notification-topic-arn" className="block break-all font-mono">
              {topicArn}
            </code>
          </div>
        )}
        {topicArn && readError && (
          <p role="status" className="text-red-700 dark:text-red-300">
            The subscriptions could not be read: {readError}
          </p>
        )}
        {emails.length > 0 && (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left">
              <caption className="sr-only">Email subscriptions</caption>
              <thead className="text-slate-600 dark:text-slate-300">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Email
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody>
                {emails.map((e) => {
                  const s = confirmed(e);
                  const label =
                    !topicArn || !subscriptions
                      ? "Subscribed by the next apply"
                      : !s
                        ? "Not subscribed: apply the plan"
                        : s.arn
                          ? "Confirmed"
                          : "Pending confirmation (AWS emailed a link)";
                  return (
                    <tr key={e} className="border-t border-slate-200 dark:border-slate-700" data-testid="notification-subscription">
                      <td className="break-all py-1 pr-4 font-mono">{e}</td>
                      <td className="py-1">{label}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
