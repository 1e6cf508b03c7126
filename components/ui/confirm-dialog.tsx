"use client";

import { useId, useRef, type ReactNode } from "react";

export type ConfirmTone = "danger" | "primary";

const confirmClass: Record<ConfirmTone, string> = {
  danger: "rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60",
  primary: "rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60",
};

/**
 * A confirmation before a command that changes AWS: a button opens a native modal <dialog> (showModal: the
 * rest of the page is inert, so focus stays inside; Escape closes it) that says exactly what will happen. Cancel
 * or Escape close it without acting and focus returns to the button that opened it.
 *
 * Placed inside a <form>, the confirm button is that form's submit button (with `confirmName`/`confirmValue`
 * as the submitter's value), so fields inside the dialog (a stop mode, a reason) are submitted with it.
 * Outside a form, pass `onConfirm`.
 */
export function ConfirmDialog({
  triggerLabel,
  triggerClassName,
  triggerTestId,
  title,
  children,
  confirmLabel,
  confirmName,
  confirmValue,
  onConfirm,
  tone = "danger",
  disabled,
  testId,
}: {
  triggerLabel: ReactNode;
  triggerClassName: string;
  triggerTestId?: string;
  title: string;
  /** What will happen, in plain words (and any fields the command needs). */
  children: ReactNode;
  confirmLabel: string;
  confirmName?: string;
  confirmValue?: string;
  onConfirm?: () => void;
  tone?: ConfirmTone;
  disabled?: boolean;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        ref={trigger}
        type="button"
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
        className={triggerClassName}
        data-testid={triggerTestId}
      >
        {triggerLabel}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        data-testid={testId}
        onClose={() => trigger.current?.focus()}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="space-y-3 p-5">
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {title}
          </h2>
          <div id={`${id}-body`} className="space-y-2 text-sm text-slate-700 dark:text-slate-200">
            {children}
          </div>
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            <button
              type="button"
              onClick={close}
              className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
            >
              Cancel
            </button>
            <button
              type={onConfirm ? "button" : "submit"}
              name={onConfirm ? undefined : confirmName}
              value={onConfirm ? undefined : confirmValue}
              onClick={() => {
                onConfirm?.();
                // A submit button: the form's submit event has been queued by this click; close after it.
                setTimeout(close, 0);
              }}
              className={confirmClass[tone]}
            >
              {confirmLabel}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
