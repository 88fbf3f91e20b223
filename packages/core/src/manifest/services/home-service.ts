import * as z from "zod/mini";
import { kindTag, lazyKind, NO_CONTROL_CHARS, port, serviceName, userName } from "../rules.js";
import type { PortFields } from "./port-fields.js";

/**
 * Any long-running command as a home-manager user service of its own unprivileged user, which
 * lingers so the service starts at boot: the gateway kind without its placeholder program.
 * Built on first use (rules.ts: lazyKind).
 */
export const homeService = lazyKind("home-service", () => {
  return z.strictObject({
    kind: kindTag("home-service"),
    name: serviceName(),
    user: userName(),
    /** The shell command that runs the service (one line of bash; it must not return while the service runs). */
    command: z
      .string()
      .check(
        z.minLength(1, "give the command that runs the service, such as: exec /home/bot/.local/bin/bot --serve"),
        z.maxLength(4096, "keep the command under 4096 characters: put a longer script in a file and run that"),
        z.regex(NO_CONTROL_CHARS, "must be one line, without control characters: put a longer script in a file and run that"),
      ),
    /** The port it listens on, on 127.0.0.1 (given to it as PORT), when it listens on one. */
    port: z.optional(port().check(z.gte(1024, "is below 1024, which an unprivileged user service cannot listen on: use 1024–65535"))),
    description: z.optional(z.string().check(z.regex(NO_CONTROL_CHARS, "must not contain control characters"), z.maxLength(200, "keep it under 200 characters"))),
  });
});
export type HomeService = z.infer<ReturnType<typeof homeService>>;

export const homeServicePortFields = ["port"] as const satisfies PortFields<HomeService>;
