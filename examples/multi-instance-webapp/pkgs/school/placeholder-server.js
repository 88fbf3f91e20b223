// The placeholder backend of school (pkgs/school/default.nix): replace it with your program.
// Listens on HOST:PORT; GET /health answers {"ok":true,"instance":…}; everything else says
// which instance answered, so each vhost can be checked to reach its own instance.
"use strict";
const http = require("node:http");

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 8080);
const instance = process.env.INSTANCE || "unknown";

const server = http.createServer((req, res) => {
  const body = req.url === "/health" ? { ok: true, instance } : { app: "placeholder", instance, path: req.url };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
});

server.listen(port, host, () => console.log(`instance ${instance} listening on ${host}:${server.address().port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
