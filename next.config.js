/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native and server-only packages stay out of the bundle and load from node_modules at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "bcryptjs"],
  // `npm test` type-checks the whole tree (tests and sandbox included) as its own tier; the build skips it.
  typescript: { ignoreBuildErrors: true },
};

module.exports = nextConfig;
