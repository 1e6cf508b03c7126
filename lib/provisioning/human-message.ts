// Moved to lib/runs/human-message.ts; kept for importers outside lib/.
export * from "@/lib/runs/human-message";
