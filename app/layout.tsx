import type { Metadata } from "next";
import "./globals.css";
import { SiteHeader } from "@/components/site-header";
import { CONTAINER } from "@/components/ui/layout";
import { getCurrentUser } from "@/lib/auth/session";
import { isSandbox } from "@/lib/config/env";
import { readBackgroundStatus } from "@/lib/ops/supervisor-status";

export const metadata: Metadata = {
  title: { default: "Crossline", template: "%s · Crossline" },
  description: "Self-service cross-account CI/CD on AWS",
  icons: { icon: "/favicon.svg" },
};

export const viewport = { colorScheme: "light dark" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded focus:bg-indigo-600 focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-white"
          data-testid="skip-link"
        >
          Skip to content
        </a>
        <SiteHeader user={user} sandbox={isSandbox()} worker={readBackgroundStatus().worker} />
        <main id="main" tabIndex={-1} className={`${CONTAINER} py-8 focus:outline-none`}>
          {children}
        </main>
      </body>
    </html>
  );
}
