// Moved to lib/runs/classify.ts (the engine's retry policy); kept for the step modules.
export * from "@/lib/runs/classify";
