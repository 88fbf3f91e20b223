# school: the backend every instance of services.school runs. This file is yours: nixos-stack
# wrote it once and never rewrites it.
#
# It starts as a placeholder (placeholder-server.js: answers /health and says which instance it
# is) so the repo deploys before your program exists. Replace it with your program's build,
# e.g. buildGoModule, rustPlatform.buildRustPackage or buildNpmPackage, keeping a main program
# (meta.mainProgram): modules/services/school.nix runs it once per instance with PORT, HOST
# (127.0.0.1), INSTANCE, STATIC_DIR and, with PostgreSQL, DATABASE_URL / PGHOST / PGDATABASE
# in its environment and the instance's secrets file read by systemd.
{
  writeShellApplication,
  nodejs,
}:
writeShellApplication {
  name = "school";
  runtimeInputs = [ nodejs ];
  text = ''
    exec node ${./placeholder-server.js} "$@"
  '';
}
