import { randomBytes } from "node:crypto";

/** A 24-character random password (144 bits), URL-safe so it survives copy and paste. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
