"use client";

import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard. The result is announced through a polite live region ("Copied" or how to copy
 * by hand when the browser refuses, e.g. outside a secure context).
 */
export function CopyButton({ text, label = "Copy", className = "" }: { text: string; label?: string; className?: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (status === "idle") return;
    const t = setTimeout(() => setStatus("idle"), 2500);
    return () => clearTimeout(t);
  }, [status]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      setStatus("failed");
    }
  };

  return (
    <span className={`inline-flex items-center gap-2 ${className}`}>
      <button
        type="button"
        onClick={copy}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
        data-testid="copy-button"
      >
        {label}
      </button>
      <span aria-live="polite" role="status" className="text-xs text-slate-700 dark:text-slate-200" data-testid="copy-status">
        {status === "copied" ? "Copied" : status === "failed" ? "Copy failed: select the text and copy it by hand" : ""}
      </span>
    </span>
  );
}
