# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# agenix's rules file (ryantm/agenix README, "Tutorial"): who can decrypt each secrets/<name>.age.
# `agenix -e <name>.age`, run in this directory, encrypts to these keys; after a key is added or
# removed (nixos-stack.json, then `./stack.sh sync`), `agenix -r` re-encrypts every file to them.
# Public keys only: nothing here is secret.
let
  # the admins' SSH keys (ed25519 and RSA: the types agenix and age accept), from nixos-stack.json
  admins = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack"
  ];

  # each host's own key (hosts[].hostKey in nixos-stack.json), which it decrypts its secrets with
  hosts = {
    leaf-1 = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdiGX2od3U8U1zYpWBGYdIoHQ15n5979QMW5SECUXcd" ];
  };
in
{
  "backup.age".publicKeys = admins ++ hosts.leaf-1;
  "containers-agent.age".publicKeys = admins ++ hosts.leaf-1;
  "containers-data.age".publicKeys = admins ++ hosts.leaf-1;
  "containers-graph.age".publicKeys = admins ++ hosts.leaf-1;
  "containers-monitoring.age".publicKeys = admins ++ hosts.leaf-1;
  "containers-workflow.age".publicKeys = admins ++ hosts.leaf-1;
}
