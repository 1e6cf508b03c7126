// ESLint (flat config), run by `npm run lint` and by `npm test`'s first tier (scripts/test.mjs).
// Next's rules (core-web-vitals: react, react-hooks, jsx-a11y, @next/next, eslint-plugin-import) with
// typescript-eslint's recommended rules, import cycles, and the folder boundaries below.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Folders whose imports must not form a cycle (the portal's own code and the sandbox). */
const OWN_CODE = ["lib/**", "app/**", "components/**", "sandbox/**"].flatMap((dir) => [`${dir}/*.ts`, `${dir}/*.tsx`]);

/**
 * Which folder may import which: the ground floor (`lib/`) never reaches up into the UI, and the portal never
 * imports the local AWS sandbox (it speaks to it over HTTP only, like to AWS). Paths are resolved, so `@/…`
 * aliases and relative paths are both caught.
 */
const BOUNDARIES = [
  {
    target: "./lib",
    from: "./components",
    message: "lib/ is the ground floor: it must not import UI components (move what both need into lib/).",
  },
  { target: "./lib", from: "./app", message: "lib/ is the ground floor: it must not import from app/ (move what both need into lib/)." },
  {
    target: ["./app", "./components", "./lib"],
    from: "./sandbox",
    message: "The portal talks to the sandbox over HTTP only, as it would to AWS: do not import sandbox/.",
  },
];

const config = [
  {
    ignores: [
      "lib/generated/**",
      ".next/**",
      ".data/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "coverage/**",
      "next-env.d.ts",
      "public/**",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    name: "portal/rules",
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    settings: {
      // Never parse the generated Prisma client (1.4 MB) or packages when following imports: no-cycle and the
      // boundaries need only the repository's own modules.
      "import/ignore": ["node_modules", "lib/generated/"],
      "import/external-module-folders": ["node_modules", "lib/generated"],
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused code is an error here (Next makes it a warning): `_name` marks a deliberately unused binding.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "import/no-restricted-paths": ["error", { zones: BOUNDARIES }],
    },
  },
  {
    name: "portal/no-cycle",
    files: OWN_CODE,
    rules: {
      // maxDepth bounds the search (a cycle longer than this through the folders is rare and costly to find);
      // ignoreExternal skips node_modules, which cannot import back into the repository.
      "import/no-cycle": ["error", { maxDepth: 6, ignoreExternal: true }],
    },
  },
  {
    name: "sandbox/wire-input",
    // The sandbox's operations take the AWS wire input as it arrives (JSON, query or XML, validated field by field
    // inside each operation against the API's constraints), so its handler input types are deliberately open.
    files: ["sandbox/services/**", "sandbox/protocols/**", "sandbox/registry.ts", "sandbox/policy/validate.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    name: "portal/no-react-outside-the-ui",
    // No React here: Playwright's fixture callback is named `use` and the benches' sandbox helper `useSandbox`.
    files: ["bench/**", "e2e/**", "tests/**", "scripts/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    name: "portal/server-components",
    // Pages and layouts are server components: they render once per request, so reading the clock there is the
    // request's time, not an impure render (react-hooks/purity is written for client components).
    files: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    name: "portal/commonjs",
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
];

export default config;
