import "server-only";
import { accountClients } from "@/lib/aws/clients";
import { parseEmailList } from "@/lib/runs/spec";
import { topicSubscriptions, type TopicSubscription } from "./topic";

export interface NotificationStatus {
  enabled: boolean;
  topicArn: string | null;
  /** Addresses the onboarding asks for. */
  emails: string[];
  /** What SNS has (null when it could not be read). */
  subscriptions: TopicSubscription[] | null;
  readError: string | null;
}

interface Row {
  notifications: boolean;
  notificationEmails: string;
  notificationTopicArn: string | null;
  region: string;
  toolsAccount: { roleArn: string; externalId: string };
}

/** The onboarding's notification settings and, once the topic exists, its subscriptions as SNS reports them. */
export async function notificationStatus(o: Row, actorEmail: string): Promise<NotificationStatus> {
  const base = {
    enabled: o.notifications,
    topicArn: o.notificationTopicArn,
    emails: parseEmailList(o.notificationEmails),
    subscriptions: null,
    readError: null,
  };
  if (!o.notificationTopicArn) return base;
  try {
    const clients = accountClients({
      roleArn: o.toolsAccount.roleArn,
      externalId: o.toolsAccount.externalId,
      actorEmail,
      region: o.region,
    });
    return { ...base, subscriptions: await topicSubscriptions(clients, o.notificationTopicArn) };
  } catch (e) {
    const err = e as { name?: string; message?: string };
    return { ...base, readError: `${err.name ?? "Error"}: ${(err.message ?? "").slice(0, 200)}` };
  }
}
