import { registerRunEngine } from "./index";

// The runner with the engine's catalogues, ledger and jobs registered: for code that drives runs in-process
// (integration tests, benchmarks) instead of through the worker.
registerRunEngine();

export * from "@/lib/runs/runner";
