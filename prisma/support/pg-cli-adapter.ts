import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const NAME_OID = 19;
const TEXT_OID = 25;
const patched = Symbol.for("crossline.pgNameAsText");

function relabel(result: unknown): unknown {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  if (Array.isArray(fields)) for (const f of fields) if (f.dataTypeID === NAME_OID) f.dataTypeID = TEXT_OID;
  return result;
}

/**
 * The JS schema engine's catalog queries return columns of PostgreSQL type `name` (OID 19), which
 * @prisma/adapter-pg 6.19 cannot map ("Column type 'name' could not be deserialized"), so `migrate deploy`
 * fails. A `name` is text: report such columns as text, for the promise and the callback form of Client#query.
 */
function readNameColumnsAsText(): void {
  const proto = pg.Client.prototype as unknown as Record<symbol | string, unknown>;
  if (proto[patched]) return;
  proto[patched] = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last] as (err: unknown, res: unknown) => void;
      args[last] = (err: unknown, res: unknown) => cb(err, err ? res : relabel(res));
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    return out && typeof (out as Promise<unknown>).then === "function" ? (out as Promise<unknown>).then(relabel) : out;
  };
}

interface ScriptAdapter {
  client: pg.Pool;
  onError(e: unknown): never;
  executeScript(script: string): Promise<void>;
}

/**
 * The PostgreSQL adapter for the Prisma CLI only (prisma.config.ts; the portal's runtime client needs none of
 * this). Besides reading `name` columns as text, it applies a migration script as Prisma's native engine does:
 * the whole file as one simple query (one connection, one implicit transaction). adapter-pg 6.19 splits
 * scripts on every ";" and sends the pieces over a pool, which breaks any function body ($$ … ; … $$) and
 * would apply half a failed migration.
 */
export function prismaCliPgAdapter(connectionString: string): PrismaPg {
  readNameColumnsAsText();
  const factory = new PrismaPg({ connectionString });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as unknown as ScriptAdapter;
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.client.query(script);
      } catch (e) {
        adapter.onError(e);
      }
    };
    return adapter as unknown as Awaited<ReturnType<typeof connect>>;
  };
  return factory;
}
