/** A real run through the docker runner: only where a Docker engine answers (and can pull or has nixos/nix). */
import { afterAll, describe, expect, it } from "vitest";
import { listRepoFiles } from "../../repo-files.js";
import { copyFixture, gitInit, removeTempDirs } from "../../test-support/repos.js";
import { dockerEngineAnswers } from "../../tools.js";
import { runFlakePhase } from "./index.js";

afterAll(removeTempDirs);

describe("flake phase through the docker runner (real Docker)", async () => {
  const engine = await dockerEngineAnswers();
  if (!engine.ok) console.warn(`skipped the real docker runs: ${engine.reason}`);

  it.runIf(engine.ok)(
    "evaluates the passing fixture and reports the eval error at its repo file",
    async () => {
      const passing = await copyFixture("flakes/passing");
      await gitInit(passing, { commit: true });
      const ok = await runFlakePhase(passing, { runner: "docker", repo: await listRepoFiles(passing) });
      expect(ok).toMatchObject({ status: "ran", findings: [] });

      const broken = await copyFixture("flakes/eval-error");
      await gitInit(broken, { commit: true });
      const bad = await runFlakePhase(broken, { runner: "docker", repo: await listRepoFiles(broken) });
      expect(bad.findings.find((f) => f.severity === "error")).toMatchObject({ file: "hosts/db/default.nix", line: 5 });
    },
    600_000,
  );
});
