/**
 * Who the monitoring kind's Alertmanager notifies when an alert rule fires. The manifest must
 * choose: there is no default, and `{"receiver": "none"}` says in so many words that nobody is
 * notified (the alerts show on Prometheus' and Grafana's pages only, docs/services/monitoring.md).
 *
 * Secrets stay out of the manifest and the Nix store: the SMTP password and the webhook URL
 * (which often carries a token) are lines of the monitoring service's secret file, read by
 * Alertmanager through `smtp_auth_password_file` and `url_file` when it sends
 * (prometheus/alertmanager docs/configuration.md; url_file since v0.26).
 */
import * as z from "zod/mini";
import { builtOnce } from "../built-once.js";
import { DNS_NAME, EMAIL } from "../dns-name.js";

/** The kinds of receiver, in the order the questions offer them. */
export const ALERT_RECEIVERS = ["email", "webhook", "none"] as const;
export type AlertReceiverKind = (typeof ALERT_RECEIVERS)[number];

/** The secret file's lines each receiver reads (KEY=value, docs/secrets.md). */
export const ALERTING_SECRET_KEYS = { smtpPassword: "ALERTMANAGER_SMTP_PASSWORD", webhookUrl: "ALERTMANAGER_WEBHOOK_URL" } as const;

const mailbox = (what: string) => z.string().check(z.regex(EMAIL, `use a plain e-mail address such as ops@example.com (${what})`));

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export const ALERTING_REQUIRED =
  `choose who is notified when an alert fires: {"receiver": "email", "to", "from", "smarthost"}, {"receiver": "webhook"} (its URL kept with the service's secrets) or {"receiver": "none"} (nobody is notified)`;

/** Who is notified, tagged by `receiver`; built on first use, as the kinds are (rules.ts: lazyKind). */
export const alerting = builtOnce(() => {
  /** host:port of the SMTP server: Alertmanager's `smtp_smarthost` (587 STARTTLS, 465 implicit TLS, 25 a local relay). */
  const smarthost = z.string().check(
    z.refine(
      (value) => {
        const at = value.lastIndexOf(":");
        if (at < 1) return false;
        const host = value.slice(0, at);
        const port = value.slice(at + 1);
        return (DNS_NAME.test(host) || IPV4.test(host) || host === "localhost") && /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
      },
      { error: "use host:port of the SMTP server, such as smtp.example.com:587 (587 STARTTLS, 465 TLS)" },
    ),
  );

  const emailReceiver = z.strictObject({
    receiver: z.literal("email"),
    /** Who is notified. */
    to: mailbox("who is notified"),
    /** The sender address the SMTP server accepts for this account. */
    from: mailbox("the sender the SMTP server accepts"),
    smarthost,
    /** SMTP AUTH user; its password is the ALERTMANAGER_SMTP_PASSWORD line of the secret file. Without it: no authentication (a local relay). */
    username: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._%+@-]{1,254}$/, "use the SMTP account name (letters, digits and . _ % + @ -), such as alerts@example.com"))),
    /** STARTTLS required before authenticating (Alertmanager's smtp_require_tls; on by default there too). */
    requireTls: z._default(z.boolean(), true),
  });

  /** POST of Alertmanager's JSON to the URL in the ALERTMANAGER_WEBHOOK_URL line of the secret file. */
  const webhookReceiver = z.strictObject({ receiver: z.literal("webhook") });

  /** Nobody is notified: an explicit choice, warned about in the docs. */
  const noReceiver = z.strictObject({ receiver: z.literal("none") });

  return z.discriminatedUnion("receiver", [emailReceiver, webhookReceiver, noReceiver], {
    error: (issue) => (issue.input === undefined ? ALERTING_REQUIRED : undefined),
  });
});
export type Alerting = z.infer<ReturnType<typeof alerting>>;
