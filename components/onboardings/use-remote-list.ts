"use client";

import { useEffect, useState } from "react";

export type RemoteState<T> =
  { status: "idle" } | { status: "loading" } | { status: "ok"; data: T } | { status: "error"; error: string; accountUrl?: string };

/**
 * GETs a JSON list from one of the portal's discovery routes whenever `url` changes (null = nothing to load).
 * The routes answer `{error, accountUrl?}` on failure; that is what the form shows.
 */
export function useRemoteList<T>(url: string | null): RemoteState<T> {
  const [state, setState] = useState<{ url: string | null; value: RemoteState<T> }>({ url: null, value: { status: "idle" } });
  // A new url loads afresh: reset while rendering (an earlier answer for the same url must not show again).
  const [requested, setRequested] = useState(url);
  if (requested !== url) {
    setRequested(url);
    setState({ url, value: { status: "loading" } });
  }

  useEffect(() => {
    if (!url) return;
    const ctrl = new AbortController();
    fetch(url, { signal: ctrl.signal, headers: { accept: "application/json" }, cache: "no-store" })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as T & { error?: string; accountUrl?: string };
        if (!res.ok)
          setState({
            url,
            value: {
              status: "error",
              error: body.error ?? `The list could not be loaded (HTTP ${res.status}).`,
              accountUrl: body.accountUrl,
            },
          });
        else setState({ url, value: { status: "ok", data: body } });
      })
      .catch((e: unknown) => {
        if ((e as { name?: string }).name === "AbortError") return;
        setState({ url, value: { status: "error", error: "The portal could not be reached. Check your connection and try again." } });
      });
    return () => ctrl.abort();
  }, [url]);

  if (!url) return { status: "idle" };
  // Until the effect for a new url has run, the previous url's answer must not show.
  return state.url === url ? state.value : { status: "loading" };
}
