// A vitest reporter: one plain closing line for logs and CI, "vitest: N passed, N failed, N skipped"
// (no JSON report file to write, name and delete). A test file that fails before any test runs
// (an import error) counts as one failure, so a broken suite never ends in "0 failed".
export default class SummaryLine {
  onTestRunEnd(testModules) {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      let tests = 0;
      for (const test of module.children.allTests()) {
        counts[test.result().state]++;
        tests++;
      }
      if (tests === 0 && module.state() === "failed") counts.failed++;
    }
    process.stdout.write(`vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped + counts.pending} skipped\n`);
  }
}
