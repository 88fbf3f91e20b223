# discord-bot: the Node.js app, built with buildNpmPackage (nixpkgs manual, "Javascript":
# buildNpmPackage; pkgs/build-support/node/build-npm-package). This file is yours: nixos-stack
# wrote it once and never rewrites it. modules/services/discord-bot.nix calls it with `src`,
# the app's source (the flake input discord-bot-src: github:nixos-stack-examples/discord-bot).
#
# npmDepsHash pins the app's npm dependencies (its package-lock.json, which the app must have).
# While it is the placeholder lib.fakeHash, `nix flake check` stops with a message saying so.
# To get the real one, when the app or its dependencies change:
#   nix build .#nixosConfigurations.bot-vps.config.services.discord-bot.package
#   # fails with: hash mismatch in fixed-output derivation …  got: sha256-…
# and put that "sha256-…" value below.
{
  lib,
  buildNpmPackage,
  src,
}:
buildNpmPackage {
  # must be package.json's "name": the app is installed in lib/node_modules/<name>
  pname = "discord-bot";
  version = "0.1.0";
  inherit src;

  npmDepsHash = "sha256-4hGdCwI/H7LdndJaHYvr8ajpmgVnY/cDRN/Q1LYENrA=";

  # `npm run build` runs before the install (nixos-stack.json: "build": true, the default):
  # buildNpmPackage's npmBuildScript defaults to "build" (pkgs/build-support/node/build-npm-package/default.nix).
  # A TypeScript app needs it: its dist/ is usually git-ignored, so only this build makes it.
  # The build hook fails when package.json has no such script (hooks/npm-build-hook.sh). To change it:
  #   another script:                       npmBuildScript = "compile";
  #   no build step (plain JS, no "build"): dontNpmBuild = true;   (and remove npmBuildScript)
  # The install copies what `npm pack` would publish (hooks/npm-install-hook.sh): a git-ignored
  # dist/ is left out unless package.json's "files" (e.g. "files": [ "dist" ]) or "main" names it.
  npmBuildScript = "build";

  meta = {
    description = "discord-bot (Node.js app)";
    platforms = lib.platforms.linux;
  };
}
