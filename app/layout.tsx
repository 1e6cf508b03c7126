import type { Metadata } from "next";
import "./globals.css";
import { SiteHeader } from "@/components/site-header";
import { getCurrentUser } from "@/lib/auth/session";
import { isSandbox } from "@/lib/config/env";

export const metadata: Metadata = {
  title: { default: "Crossline", template: "%s · Crossline" },
  description: "Self-service cross-account CI/CD on AWS",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <SiteHeader user={user} sandbox={isSandbox()} />
        <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
