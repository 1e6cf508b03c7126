// `npm run admin:reset-demo-password`: gives admin@example.com a new generated password (printed once, saved
// in .data/demo-admin.txt, to be changed at the next sign-in) and ends its sessions. Uses the same environment
// as `npm start`.
import { migrateDatabase, run, setup } from "./setup.mjs";

setup();
const { portalEnv } = await import("./portal-env.mjs");
Object.assign(process.env, portalEnv());
migrateDatabase();
run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts", "--reset-demo-admin"]);
