import type { CodeCommitState } from "./services/codecommit-store";
import type { IamState } from "./services/iam-model";
import type { World } from "./state";

/** What GET /_sandbox/state shows: names per account and region, never secrets. Read-only. */
export function summarize(world: World) {
  const now = Date.now();
  return {
    accounts: Object.values(world.accounts).map((a) => {
      const iam = a.global.iam as IamState | undefined;
      return {
        id: a.id,
        roles: Object.values(iam?.roles ?? {}).map((r) => r.arn),
        policies: Object.keys(iam?.policies ?? {}),
        regions: Object.fromEntries(
          Object.entries(a.regions).map(([region, services]) => {
            const cc = services.codecommit as CodeCommitState | undefined;
            return [
              region,
              {
                services: Object.keys(services),
                repositories: Object.values(cc?.repositories ?? {}).map((r) => ({ name: r.name, branches: r.branches })),
              },
            ];
          }),
        ),
      };
    }),
    activeSessions: Object.values(world.sessions).filter((s) => s.expiresAt > now).length,
  };
}
