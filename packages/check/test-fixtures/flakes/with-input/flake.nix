# A flake with one input that cannot be fetched here: it evaluates only when
# --override-input dep <path> points at a local copy (the air-gapped case).
{
  description = "with-input";
  inputs.dep = { url = "github:nixos-stack/unreachable-input"; flake = false; };
  outputs = { self, dep }: {
    checks.x86_64-linux.web = derivation {
      name = "web";
      system = "x86_64-linux";
      builder = "/bin/sh";
      greeting = builtins.readFile "${dep}/greeting.txt";
    };
  };
}
