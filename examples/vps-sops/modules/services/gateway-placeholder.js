// Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
// The placeholder gateway: replace it by setting stack.gateway.instances.<name>.package.
// Listens on HOST:PORT (127.0.0.1 by default); GET /health answers {"ok":true};
// every other request needs "Authorization: Bearer $GATEWAY_TOKEN" when that variable is set.
"use strict";
const http = require("node:http");

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 18789);
const token = process.env.GATEWAY_TOKEN || "";

const server = http.createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.url === "/health") return reply(200, { ok: true });
  if (token && req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: "unauthorized" });
  return reply(200, { gateway: "placeholder", path: req.url });
});

server.listen(port, host, () => console.log(`gateway listening on ${host}:${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
