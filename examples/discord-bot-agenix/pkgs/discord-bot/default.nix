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

  # no "build" script (plain JavaScript); remove for an app that compiles (TypeScript: npm run build)
  dontNpmBuild = true;

  meta = {
    description = "discord-bot (Node.js app)";
    platforms = lib.platforms.linux;
  };
}
