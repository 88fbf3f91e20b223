import { describe, expect, it } from "vitest";
import { ageRecipientOfSshKey } from "./age-recipient.js";

describe("ageRecipientOfSshKey", () => {
  it("gives the recipient ssh-to-age gives, so sops encrypts to a key the host and admin can decrypt with", () => {
    // sops-nix's test assets (Mic92/sops-nix pkgs/sops-install-secrets/test-assets): ssh-ed25519-key.pub
    // and the age recipient its secrets.yaml is encrypted to for that key
    expect(ageRecipientOfSshKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBI1+Q+ntzANebtnicCiAY29uqLGWOaOGLEa8bUqOVmS joerg@turingmachine")).toBe(
      "age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs",
    );
  });

  it("has no recipient for key types ssh-to-age cannot convert", () => {
    expect(ageRecipientOfSshKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me")).toBeUndefined();
    expect(ageRecipientOfSshKey("ecdsa-sha2-nistp256 AAAAE2VjZHNh me")).toBeUndefined();
  });
});
