# nixos/modules/config/users-groups.nix (Swarsel/nixpkgs@4aa6836a): the users.users and
# users.groups options our templates set or read, with what isNormalUser implies, the default
# root/nobody accounts and groups, and the assertions that guard logins: group set and
# existing, exactly one of isNormalUser/isSystemUser, a valid name, linger needing
# manageLingering, (mutableUsers = false) root or a wheel user able to log in, unique uids and
# gids, no ':' in a password hash; and the warning for a user with more than one password option.
# Shells are ./user-shells.nix. Not modelled: uids and gids from ids.nix (except root's,
# nobody's and those of the accounts other modules of the surface create), subuid ranges,
# initrd users, the warning for a hash that is not in crypt(3)'s format.
{ config, lib, ... }:
let
  cfg = config.users;
  types = lib.types;

  # a hash that allows a password login
  allowsLogin =
    hash:
    hash == ""
    || !(lib.elem hash [
      null
      "!"
      "!!"
      "*"
    ]);

  userOpts =
    { config, name, ... }:
    {
      options = {
        enable = lib.mkOption {
          type = types.bool;
          default = true;
        };
        name = lib.mkOption {
          type = types.passwdEntry types.str;
          apply =
            x:
            assert (
              lib.stringLength x < 32 || abort "Username '${x}' is longer than 31 characters which is not allowed!"
            );
            x;
        };
        description = lib.mkOption {
          type = types.passwdEntry types.str;
          default = "";
        };
        uid = lib.mkOption {
          type = types.nullOr types.int;
          default = null;
        };
        isNormalUser = lib.mkOption {
          type = types.bool;
          default = false;
        };
        isSystemUser = lib.mkOption {
          type = types.bool;
          default = false;
        };
        group = lib.mkOption {
          type = types.str;
          default = "";
          apply =
            x:
            assert (
              lib.stringLength x < 32 || abort "Group name '${x}' is longer than 31 characters which is not allowed!"
            );
            x;
        };
        extraGroups = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        home = lib.mkOption {
          type = types.passwdEntry types.path;
          default = "/var/empty";
        };
        homeMode = lib.mkOption {
          type = types.strMatching "[0-7]{1,5}";
          default = "700";
        };
        createHome = lib.mkOption {
          type = types.bool;
          default = false;
        };
        useDefaultShell = lib.mkOption {
          type = types.bool;
          default = false;
        };
        hashedPassword = lib.mkOption {
          type = types.nullOr (types.passwdEntry types.str);
          default = null;
        };
        hashedPasswordFile = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        password = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        initialPassword = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        initialHashedPassword = lib.mkOption {
          type = types.nullOr (types.passwdEntry types.str);
          default = null;
        };
        # null (not managed) in the stored copy; its assertion text says null is the default
        # "provided system.stateVersion is at least 25.11", so for our hosts on 26.05 too
        linger = lib.mkOption {
          type = types.nullOr types.bool;
          default = null;
        };
        packages = lib.mkOption {
          type = types.listOf types.package;
          default = [ ];
        };
      };

      config = lib.mkMerge [
        { name = lib.mkDefault name; }
        (lib.mkIf config.isNormalUser {
          createHome = lib.mkDefault true;
          group = lib.mkDefault "users";
          home = lib.mkDefault "${cfg.defaultUserHome}/${config.name}";
          homeMode = lib.mkDefault "700";
          isSystemUser = lib.mkDefault false;
          useDefaultShell = lib.mkDefault true;
        })
        # with immutable users an initial password is the password
        (lib.mkIf (!cfg.mutableUsers && config.initialPassword != null) {
          password = lib.mkDefault config.initialPassword;
        })
        (lib.mkIf (!cfg.mutableUsers && config.initialHashedPassword != null) {
          hashedPassword = lib.mkDefault config.initialHashedPassword;
        })
      ];
    };

  groupOpts =
    { config, name, ... }:
    {
      options = {
        name = lib.mkOption { type = types.passwdEntry types.str; };
        gid = lib.mkOption {
          type = types.nullOr types.int;
          default = null;
        };
        members = lib.mkOption {
          type = types.listOf (types.passwdEntry types.str);
          default = [ ];
        };
      };
      config = {
        name = lib.mkDefault name;
        members = lib.mapAttrsToList (_: u: u.name) (
          lib.filterAttrs (_: u: u.enable && lib.elem config.name u.extraGroups) cfg.users
        );
      };
    };

  # users-groups.nix idsAreUnique: no two users (groups) with one uid (gid)
  idsAreUnique =
    set: idAttr:
    let
      ids = map (v: toString v.${idAttr}) (lib.attrValues (lib.filterAttrs (_: v: v.${idAttr} != null) set));
    in
    lib.length ids == lib.length (lib.unique ids);
  groupNames = lib.mapAttrsToList (_: g: g.name) cfg.groups;
  usersWithoutExistingGroup = lib.filterAttrs (_: u: u.group != "" && !lib.elem u.group groupNames) cfg.users;
in
{
  options.users = {
    users = lib.mkOption {
      type = types.attrsOf (types.submodule userOpts);
      default = { };
    };
    groups = lib.mkOption {
      type = types.attrsOf (types.submodule groupOpts);
      default = { };
    };
    mutableUsers = lib.mkOption {
      type = types.bool;
      default = true;
    };
    allowNoPasswordLogin = lib.mkOption {
      type = types.bool;
      default = false;
    };
    defaultUserHome = lib.mkOption {
      type = types.str;
      default = "/home";
    };
    manageLingering = lib.mkOption {
      type = types.bool;
      default = true;
    };
  };

  config = {
    assertions = [
      {
        assertion = idsAreUnique cfg.users "uid" && idsAreUnique cfg.groups "gid";
        message = "UIDs and GIDs must be unique!";
      }
      {
        assertion = usersWithoutExistingGroup == { };
        message = ''
          The following users have a primary group that is undefined: ${lib.concatStringsSep " " (lib.attrNames usersWithoutExistingGroup)}
          Hint: Add this to your NixOS configuration:
            ${lib.concatMapStringsSep "\n  " (g: "users.groups.${g} = {};") (
              lib.unique (lib.mapAttrsToList (_: u: u.group) usersWithoutExistingGroup)
            )}
        '';
      }
      {
        assertion =
          !cfg.mutableUsers
          -> !cfg.allowNoPasswordLogin
          -> lib.any lib.id (
            lib.mapAttrsToList (
              name: user:
              (
                name == "root"
                || user.group == "wheel"
                || lib.elem "wheel" user.extraGroups
                || lib.elem name (cfg.groups.wheel.members or [ ])
              )
              && (
                allowsLogin user.hashedPassword
                || user.password != null
                || user.hashedPasswordFile != null
                || user.openssh.authorizedKeys.keys != [ ]
                || user.openssh.authorizedKeys.keyFiles != [ ]
              )
            ) cfg.users
          );
        message = ''
          Neither the root account nor any wheel user has a password or SSH authorized key.
          You must set one to prevent being locked out of your system.
          If you really want to be locked out of your system, set users.allowNoPasswordLogin = true;
          However you are most probably better off by setting users.mutableUsers = true; and
          manually running passwd root to set the root password.
        '';
      }
    ]
    ++ lib.concatLists (
      lib.mapAttrsToList (_: user: [
        {
          assertion = builtins.match "[a-zA-Z0-9_.][a-zA-Z0-9_.-]*" user.name != null;
          message = ''The username "${user.name}" is not valid, it does not match the regex "[a-zA-Z0-9_.][a-zA-Z0-9_.-]*".'';
        }
        {
          assertion = user.hashedPassword != null -> builtins.match ".*:.*" user.hashedPassword == null;
          message = ''
            The password hash of user "${user.name}" contains a ":" character.
            This is invalid and would break the login system because the fields
            of /etc/shadow (file where hashes are stored) are colon-separated.
            Please check the value of option `users.users."${user.name}".hashedPassword`.'';
        }
        {
          assertion = user.isNormalUser && user.uid != null -> user.uid >= 1000;
          message = "A user cannot have a users.users.${user.name}.uid set below 1000 and set users.users.${user.name}.isNormalUser.";
        }
        {
          assertion = lib.xor (user.isSystemUser || (user.uid != null && user.uid < 1000 && !user.isNormalUser)) user.isNormalUser;
          message = ''
            Exactly one of users.users.${user.name}.isSystemUser and users.users.${user.name}.isNormalUser must be set.
          '';
        }
        {
          assertion = user.group != "";
          message = ''
            users.users.${user.name}.group is unset. This used to default to
            nogroup, but this is unsafe. For example you can create a group
            for this user with:
            users.users.${user.name}.group = "${user.name}";
            users.groups.${user.name} = {};
          '';
        }
        {
          assertion = user.linger != null -> cfg.manageLingering;
          message = ''
            users.manageLingering is set to false, but
            users.users.${user.name}.linger is configured.
          '';
        }
      ]) cfg.users
    );

    warnings = lib.concatMap (
      user:
      let
        passwordOptions = [
          "hashedPassword"
          "hashedPasswordFile"
          "password"
        ]
        ++ lib.optionals cfg.mutableUsers [
          "initialHashedPassword"
          "initialPassword"
        ];
        set = lib.filter (option: user.${option} != null) passwordOptions;
      in
      lib.optional (lib.length set > 1) ''
        The user '${user.name}' has multiple of the options
        `initialHashedPassword`, `hashedPassword`, `initialPassword`, `password`
        & `hashedPasswordFile` set to a non-null value.
        (${lib.concatStringsSep ", " set})
      ''
    ) (lib.attrValues cfg.users);

    # uids from nixos/modules/misc/ids.nix; root's 0 is what makes it a system user
    users.users = {
      nobody = {
        description = "Unprivileged account (don't use!)";
        group = "nogroup";
        isSystemUser = true;
        uid = 65534;
      };
      root = {
        description = "System administrator";
        group = "root";
        home = "/root";
        uid = 0;
      };
    };

    # the module gives each its gid from ids.nix; the names are what the assertions read
    users.groups = lib.genAttrs [
      "adm"
      "audio"
      "cdrom"
      "clock"
      "dialout"
      "disk"
      "floppy"
      "input"
      "kmem"
      "kvm"
      "lp"
      "nixbld"
      "nogroup"
      "render"
      "root"
      "sgx"
      "shadow"
      "tape"
      "tty"
      "users"
      "utmp"
      "uucp"
      "video"
      "wheel"
    ] (_: { });
  };
}
