// Stands in for the "server-only" marker package in benchmarks (see no-server-only.cjs).
