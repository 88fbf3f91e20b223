# The type of a systemd unit setting, from nixos/lib/systemd-unit-options.nix (read in a
# stored unstable copy): list definitions concatenate, any other definitions must be equal
# ("conflicting definition values" otherwise). A function of lib, not a module.
lib:
lib.mkOptionType {
  name = "systemd option";
  merge =
    loc: defs:
    let
      defs' = lib.filterOverrides defs;
    in
    if lib.any (def: lib.isList def.value) defs' then
      lib.concatMap (def: lib.toList def.value) defs'
    else
      lib.mergeEqualOption loc defs';
}
