/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped", that CI systems
 * which do not parse Jest's own summary can read.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: p, numFailedTests: f, numPendingTests: s, numTodoTests: t } = results;
    const broken = results.numRuntimeErrorTestSuites;
    const line = `tests: ${p} passed, ${f + broken} failed, ${s + t} skipped\n`;
    // Jest prints its own summary after the reporters; print ours when the process ends, last.
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
