import type { Plan, PlanAction } from "./plan.js";

const LABEL: Record<PlanAction, string> = {
  create: "create",
  update: "update",
  unchanged: "unchanged",
  "keep-user-edit": "keep (yours)",
  conflict: "CONFLICT",
  overwrite: "overwrite",
  delete: "delete",
  "keep-orphan": "KEEP (edited, no longer generated)",
};

/** The plan as lines a person reads (used by --dry-run and after a sync). */
export function formatPlan(plan: Plan): string {
  const width = Math.max(...Object.values(LABEL).map((l) => l.length));
  const lines = plan.entries.map((e) => `  ${LABEL[e.action].padEnd(width)}  ${e.path}${e.ownership === "scaffold" ? "  (yours to edit)" : ""}`);
  const counts = new Map<PlanAction, number>();
  for (const e of plan.entries) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  const summary = [...counts].map(([a, n]) => `${n} ${LABEL[a]}`).join(", ");
  return `${lines.join("\n")}\n  ${summary}`;
}
