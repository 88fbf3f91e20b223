# Compares every option a stand-in declares with the real module's declaration of the same
# path: type name, type description and default. Both sides are option trees from
# lib.evalModules (`options`); submodule options are reached through the type's getSubOptions,
# with "*" in the path for the `<name>` of an attrsOf. Returns one row per stand-in option:
# { path; standIn; real; } where each side is { type; description; default; } (real = null when
# upstream has no such option). The test (templates/src/upstream-inputs.test.ts) compares them.
{
  lib,
  standIn,
  real,
  roots,
}:
let
  subOptionsOf = opt: if opt.type ? getSubOptions then opt.type.getSubOptions [ ] else { };
  # every option under a tree, descending into submodules
  walk =
    tree: path:
    lib.concatMap (
      name:
      let
        v = tree.${name};
      in
      if lib.isOption v then
        [
          {
            path = path ++ [ name ];
            opt = v;
          }
        ]
        ++ walk (subOptionsOf v) (path ++ [ name "*" ])
      else if lib.isAttrs v && !(v ? _type) then
        walk v (path ++ [ name ])
      else
        [ ]
    ) (lib.attrNames (removeAttrs tree [ "_module" ]));
  lookup =
    tree: path:
    if path == [ ] then
      tree
    else
      let
        h = lib.head path;
        rest = lib.tail path;
      in
      if lib.isOption tree then
        (if h == "*" then lookup (subOptionsOf tree) rest else null)
      else if lib.isAttrs tree && tree ? ${h} then
        lookup tree.${h} rest
      else
        null;
  # a default as text: upstream's defaultText when it documents one, else the value printed
  # (a package or function by name only)
  showDefault =
    opt:
    if opt ? defaultText then
      (if lib.isAttrs opt.defaultText then opt.defaultText.text else toString opt.defaultText)
    else if opt ? default then
      lib.generators.toPretty { } opt.default
    else
      null;
  describe = opt: {
    type = opt.type.name;
    description = opt.type.description;
    default = showDefault opt;
  };
in
lib.concatMap (
  root:
  map (
    entry:
    let
      r = lookup real entry.path;
    in
    {
      path = lib.concatStringsSep "." entry.path;
      standIn = describe entry.opt;
      real = if r != null && lib.isOption r then describe r else null;
    }
  ) (walk (lib.attrByPath root { } standIn) root)
) roots
