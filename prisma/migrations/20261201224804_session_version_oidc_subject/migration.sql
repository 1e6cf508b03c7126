-- Portal hardening (issue 10). Plain column additions, no table redefinition.

-- Resumed runs act in AWS as the person who resumed them.
ALTER TABLE "Run" ADD COLUMN "resumedById" TEXT;

-- Sessions end when the user's version moves on (sign-out, password change or reset, role change, disable).
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
-- A generated password must be changed at the next sign-in.
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
-- Single-sign-on users are identified by issuer + subject, never by email.
ALTER TABLE "User" ADD COLUMN "oidcIssuer" TEXT;
ALTER TABLE "User" ADD COLUMN "oidcSubject" TEXT;
CREATE UNIQUE INDEX "User_oidcIssuer_oidcSubject_key" ON "User"("oidcIssuer", "oidcSubject");
