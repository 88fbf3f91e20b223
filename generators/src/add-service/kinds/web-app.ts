/** The web-app kind's questions (schema: packages/core/src/manifest/services/web-app.ts). More instances later: add-instance. */
import { acmeTermsField, type ServiceKindPrompts } from "./kind.js";

const text = (t: string) => t.trim();

/**
 * "class-9a:8081:9a, class-9b:8082:9b" → [{ name, port, subdomain }, …]: name:port:subdomain per
 * instance. The schema checks each value (and clashes) with the whole manifest.
 */
export function parseInstances(input: string): Array<{ name: string; port: number; subdomain: string }> {
  const specs = input.split(/[,\s]+/).filter(Boolean);
  if (!specs.length) throw new Error("give at least one instance as name:port:subdomain, e.g. class-9a:8081:9a");
  return specs.map((spec) => {
    const [name, port, subdomain, ...rest] = spec.split(":");
    if (!name || !port || !subdomain || rest.length || !/^\d+$/.test(port)) throw new Error(`"${spec}" is not name:port:subdomain (e.g. class-9a:8081:9a)`);
    return { name, port: Number(port), subdomain };
  });
}

export const webAppPrompts: ServiceKindPrompts = {
  kind: "web-app",
  description: "one backend as N instances, each with its service, nginx vhost <subdomain>.<domain> + ACME, and PostgreSQL database",
  fields: [
    { name: "domain", flag: "--domain", message: "The domain the instances are served under (example.org; required):", parse: text },
    { name: "acmeEmail", flag: "--acme-email", message: "The e-mail of the Let's Encrypt account (required):", parse: text },
    acmeTermsField,
    { name: "instances", flag: "--instances", message: "The instances, name:port:subdomain, comma-separated (e.g. class-9a:8081:9a,class-9b:8082:9b):", parse: parseInstances },
  ],
};
