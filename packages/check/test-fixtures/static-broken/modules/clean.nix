{ lib, ... }:
{
  # a path in a comment is not a path: ./nowhere.nix
  options.extra.greeting = lib.mkOption {
    type = lib.types.str;
    default = "hello";
  };
}
