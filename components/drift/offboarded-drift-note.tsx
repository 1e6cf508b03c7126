import { Utc } from "@/components/onboardings/utc";

/** The drift section of an offboarded onboarding: no verdict, no verify, no repair, no plan (lib/drift/page-view.ts). */
export function OffboardedDriftNote({ offboardedAt }: { offboardedAt: string | null }) {
  return (
    <section id="drift" className="space-y-2" aria-labelledby="drift-heading" data-testid="drift-panel" data-status="offboarded">
      <h2 id="drift-heading" className="text-lg font-semibold">
        Drift
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="drift-checked">
        {offboardedAt ? (
          <>
            Offboarded on <Utc at={offboardedAt} />
          </>
        ) : (
          "Offboarded"
        )}{" "}
        — drift is no longer checked.
      </p>
    </section>
  );
}
