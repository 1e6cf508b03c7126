// Moved to lib/runs/resource-lock.ts; kept for the step modules.
export * from "@/lib/runs/resource-lock";
