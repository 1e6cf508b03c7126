"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

/**
 * Keeps a server-rendered page current: router.refresh() every `intervalMs` while the tab is visible (the
 * server answers from the shared 5-second cache, so many viewers cost AWS one read per pipeline), paused while
 * the tab is hidden and refreshed at once when it comes back if the data is stale. Shows how old the data is.
 */
export function LiveRefresh({
  dataAt,
  serverNow,
  intervalMs = 10_000,
  testId = "live-refresh",
}: {
  dataAt: number;
  serverNow: number;
  intervalMs?: number;
  testId?: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [age, setAge] = useState(() => Math.max(0, Math.round((serverNow - dataAt) / 1000)));
  const [hidden, setHidden] = useState(false);
  // Both are set when the component mounts (the effects below), never while rendering.
  const lastRefresh = useRef(0);
  // The server clock and the browser clock may differ: count from when this render arrived.
  const arrived = useRef({ at: 0, age: 0 });

  useEffect(() => {
    arrived.current = { at: Date.now(), age: Math.max(0, serverNow - dataAt) };
    setAge(Math.round(arrived.current.age / 1000));
  }, [dataAt, serverNow]);

  useEffect(() => {
    if (lastRefresh.current === 0) lastRefresh.current = Date.now();
    const refresh = () => {
      lastRefresh.current = Date.now();
      startTransition(() => router.refresh());
    };
    const tick = setInterval(() => {
      setAge(Math.round((arrived.current.age + Date.now() - arrived.current.at) / 1000));
      if (!document.hidden && Date.now() - lastRefresh.current >= intervalMs) refresh();
    }, 1000);
    const onVisibility = () => {
      setHidden(document.hidden);
      if (!document.hidden && Date.now() - lastRefresh.current >= intervalMs) refresh();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(tick);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [intervalMs, router]);

  return (
    <span className="inline-flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400" data-testid={testId} data-age={age}>
      <span
        aria-hidden
        className={`inline-block h-2 w-2 rounded-full ${hidden ? "bg-slate-300 dark:bg-slate-600" : pending ? "animate-pulse bg-sky-500" : "bg-emerald-500"}`}
      />
      <span>
        {age < 2 ? "Updated just now" : `Updated ${age < 120 ? `${age} s` : `${Math.round(age / 60)} min`} ago`}
        {hidden ? " · paused while this tab is hidden" : ` · refreshes every ${Math.round(intervalMs / 1000)} s`}
      </span>
      <button
        type="button"
        onClick={() => {
          lastRefresh.current = Date.now();
          startTransition(() => router.refresh());
        }}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        Refresh
      </button>
    </span>
  );
}
