// Moved to lib/runs/context.ts; kept for the step modules.
export * from "@/lib/runs/context";
