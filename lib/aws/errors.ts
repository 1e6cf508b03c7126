// Moved to lib/core/aws-errors.ts (the ground floor); kept for importers outside lib/.
export * from "@/lib/core/aws-errors";
