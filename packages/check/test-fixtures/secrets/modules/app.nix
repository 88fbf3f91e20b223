{ config, lib, ... }:
{
  # AWS's documented example key id: a secret literal in a module
  services.app.environment.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  services.app.settings.apiToken = "fixture-not-a-real-token";
  # a path literal into secrets/: copies the plaintext token into the Nix store
  services.app.tokenFile = ../secrets/api-token;
  # an encrypted secret may be referenced by path (agenix)
  age.secrets.db.file = ../secrets/db.age;
  # reading it at run time is the right way
  services.app.passwordFile = "/run/secrets/app-password";
  users.users.root.initialPassword = "changeme";
  users.users.admin.hashedPassword = "$6$rounds=1000$salt$hash";
}
