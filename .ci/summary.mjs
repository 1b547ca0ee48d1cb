// Adds up every vitest JSON report in a folder into one line: "N passed, N failed[, N skipped]".
// A test file that fails before running any test (an import error, say) counts as one failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2] ?? 'test-results';
const totals = { passed: 0, failed: 0, skipped: 0 };
const reports = readdirSync(folder).filter((name) => name.endsWith('.json'));
for (const name of reports) {
  const report = JSON.parse(readFileSync(join(folder, name), 'utf8'));
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + brokenFiles;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`);
}
if (reports.length === 0) {
  console.log('no test reports found');
  totals.failed += 1;
}
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
