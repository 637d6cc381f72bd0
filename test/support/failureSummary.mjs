// A node:test reporter that prints, after everything else, each failed test with the names of the
// suites around it and its error. The e2e tiers print a lot of diagnostics; a CI log's tail then
// still says which test failed and why.
// Plain JavaScript: node loads reporters before `--import tsx` takes effect.

const MAX_MESSAGE_LINES = 40;

/** @param {unknown} error @returns {string} */
function errorText(error) {
  if (!(error instanceof Error)) return String(error);
  const cause = /** @type {{ cause?: unknown }} */ (error).cause;
  const inner = cause instanceof Error ? cause : undefined;
  const text = inner?.stack ?? inner?.message ?? error.stack ?? error.message;
  const lines = text.split('\n');
  return lines.length > MAX_MESSAGE_LINES
    ? [...lines.slice(0, MAX_MESSAGE_LINES), `… (${lines.length - MAX_MESSAGE_LINES} more lines)`].join('\n')
    : text;
}

/** @param {unknown} error */
function isSuiteOfFailures(error) {
  const failureType = /** @type {{ failureType?: string } | undefined} */ (error)?.failureType;
  return failureType === 'subtestsFailed';
}

/** @param {AsyncIterable<any>} source */
export default async function* failureSummary(source) {
  /** @type {string[]} */
  const open = [];
  /** @type {{ path: string[], file: string | undefined, message: string }[]} */
  const failures = [];
  for await (const event of source) {
    if (event.type === 'test:start') {
      open.length = event.data.nesting;
      open.push(event.data.name);
    } else if (event.type === 'test:fail') {
      const { name, nesting, details, file } = event.data;
      if (isSuiteOfFailures(details.error) || event.data.todo) continue;
      const path = [...open.slice(0, nesting), name];
      failures.push({ path, file, message: errorText(details.error) });
    }
  }
  if (failures.length === 0) return;
  yield `\n# ${failures.length} failed test${failures.length === 1 ? '' : 's'}:\n`;
  for (const failure of failures) {
    yield `# ✖ ${failure.path.join(' › ')}${failure.file ? `  (${failure.file})` : ''}\n`;
    for (const line of failure.message.split('\n')) yield `#     ${line}\n`;
  }
}
