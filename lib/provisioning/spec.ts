// Moved to lib/runs/spec.ts; kept for the step modules and the pages.
export * from "@/lib/runs/spec";
