import { describe, expect, it } from "vitest";
import { endSessionUrl } from "./end-session";

describe("endSessionUrl", () => {
  it("adds id_token_hint, post_logout_redirect_uri and client_id to the provider's endpoint, keeping its own query", () => {
    const url = new URL(
      endSessionUrl("https://idp.example.com/logout?tenant=t1", {
        idToken: "eyJ.x.y",
        postLogoutRedirectUri: "https://portal.example.com/signin",
        clientId: "portal",
      }),
    );
    expect(url.origin + url.pathname).toBe("https://idp.example.com/logout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: "t1",
      id_token_hint: "eyJ.x.y",
      post_logout_redirect_uri: "https://portal.example.com/signin",
      client_id: "portal",
    });
  });
  it("leaves id_token_hint out when the session has no ID token", () => {
    expect(
      new URL(
        endSessionUrl("https://idp.example.com/logout", { idToken: null, postLogoutRedirectUri: "https://p/signin", clientId: "c" }),
      ).searchParams.has("id_token_hint"),
    ).toBe(false);
  });
});
