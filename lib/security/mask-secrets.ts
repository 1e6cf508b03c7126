/**
 * Masking of obvious secrets before text reaches a browser: build-log lines and the environment variables of a
 * CodeBuild project shown in a plan. Pure, by pattern; it cannot know every secret, so viewers get neither
 * (lib/auth/access-table.ts: `pipelines.logs.read`, `onboardings.plan.secrets`) and engineers get them masked.
 */
export const MASK = "••••";

/** Environment variable names whose values are secrets: the whole value is masked, the name kept. */
const SECRET_NAME = /token|secret|password|passwd|pwd|key|credential|auth/i;
export const isSecretName = (name: string) => SECRET_NAME.test(name);

/** Names of `name=value` / `name: value` assignments whose value is masked in free text. */
const ASSIGNED = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*`;

/** Each: what to find, and what to put instead (the label before the value is kept). */
const PATTERNS: [RegExp, string][] = [
  // AWS access key ids: AKIA (long-term) or ASIA (temporary) + 16 upper-case letters or digits.
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, `$1${MASK}`],
  // aws_secret_access_key = … (credentials files, env dumps), any case, optional quotes.
  [/(aws_secret_access_key["']?\s*[=:]\s*["']?)[^\s"',;]+/gi, `$1${MASK}`],
  // HTTP bearer tokens.
  [/(\bbearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${MASK}`],
  // GitHub tokens: ghp_ (classic), gho_/ghu_/ghs_/ghr_, and fine-grained github_pat_.
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g, `$1${MASK}`],
  // password=…, token: …, "secret": "…", DB_PASSWORD=…, --api-key=… (URL credentials too: user:pass@ is below).
  [new RegExp(String.raw`(${ASSIGNED}["']?\s*[=:]\s*["']?)(?!${MASK})[^\s"'&,;]+`, "gi"), `$1${MASK}`],
  // scheme://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MASK}@`],
];

/** One line (or any text) with the patterns above masked. */
export function maskSecretsInText(text: string): string {
  let out = text;
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}

const KEY_BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/;
const KEY_END = /-----END ([A-Z0-9 ]*)PRIVATE KEY-----/;

/**
 * Log lines with secrets masked. A private-key block (`-----BEGIN … PRIVATE KEY-----` to its END line) is masked
 * whole, across lines (each CloudWatch event is one line), and to the end of the tail when its END is not in it.
 */
export function maskLogLines(lines: readonly string[]): string[] {
  let inKey = false;
  return lines.map((line) => {
    if (!inKey) {
      const begin = KEY_BEGIN.exec(line);
      if (!begin) return maskSecretsInText(line);
      const before = line.slice(0, begin.index);
      const rest = line.slice(begin.index + begin[0].length);
      const end = KEY_END.exec(rest);
      if (end) return `${maskSecretsInText(before)}${begin[0]}${MASK}${end[0]}${maskSecretsInText(rest.slice(end.index + end[0].length))}`;
      inKey = true;
      return `${maskSecretsInText(before)}${begin[0]}${MASK}`;
    }
    const end = KEY_END.exec(line);
    if (!end) return MASK;
    inKey = false;
    return `${MASK}${end[0]}${maskSecretsInText(line.slice(end.index + end[0].length))}`;
  });
}

export interface EnvironmentVariableLike {
  name?: string;
  value?: string;
  type?: string;
}

/** Values of secret-named variables become MASK; the others are masked by the text patterns. Names kept. */
export function maskEnvironmentVariables<T extends EnvironmentVariableLike>(vars: readonly T[]): T[] {
  return vars.map((v) =>
    typeof v.value !== "string" ? v : { ...v, value: isSecretName(v.name ?? "") ? MASK : maskSecretsInText(v.value) },
  );
}

/** Every value withheld (for roles that see no environment values at all). Names and types kept. */
export const WITHHELD = "(shown to engineers and admins)";
export function withholdEnvironmentVariables<T extends EnvironmentVariableLike>(vars: readonly T[]): T[] {
  return vars.map((v) => (v.value === undefined ? v : { ...v, value: WITHHELD }));
}

/** A CodeBuild project's `environment` with its variables passed through `f` (anything else unchanged). */
export function mapEnvironmentVariables<E>(environment: E, f: (vars: EnvironmentVariableLike[]) => EnvironmentVariableLike[]): E {
  const env = environment as { environmentVariables?: unknown } | null | undefined;
  if (!env || typeof env !== "object" || !Array.isArray(env.environmentVariables)) return environment;
  return { ...env, environmentVariables: f(env.environmentVariables as EnvironmentVariableLike[]) } as E;
}
