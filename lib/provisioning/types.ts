// The step and plan types live with the run engine (lib/runs/types.ts); kept for the step modules and the UI.
export * from "@/lib/runs/types";
