// Times one pass of jsonata-js over the JSONata test suite, as BenchmarkJSONataSuite
// (pkg/jsonata/suite_bench_test.go) does in Go: every case but those using $eval and those
// testing the time and depth limits; each case is parsed (jsonata(expr)) and evaluated.
//
//   npm install --prefix /tmp/jsonata-js jsonata@2.0.6
//   NODE_PATH=/tmp/jsonata-js/node_modules node scripts/bench-jsonata.mjs ../shared/jsonata-suite
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';

const require = createRequire(import.meta.url);
const jsonata = require('jsonata');
const dir = process.argv[2] || '../shared/jsonata-suite';
const passes = +(process.argv[3] || 20);

const datasets = {};
const cases = [];
for (const group of fs.readdirSync(path.join(dir, 'groups')).sort()) {
  const gdir = path.join(dir, 'groups', group);
  for (const file of fs.readdirSync(gdir).filter(f => f.endsWith('.json')).sort()) {
    let list = JSON.parse(fs.readFileSync(path.join(gdir, file), 'utf8'));
    if (!Array.isArray(list)) list = [list];
    for (const c of list) {
      const expr = c.expr !== undefined ? c.expr : fs.readFileSync(path.join(gdir, c['expr-file']), 'utf8');
      if (/\$eval\b/.test(expr) || c.timelimit || c.depth) continue;
      let input;
      if (c.data !== undefined) input = c.data;
      else if (c.dataset) {
        datasets[c.dataset] ??= JSON.parse(fs.readFileSync(path.join(dir, 'datasets', c.dataset + '.json'), 'utf8'));
        input = datasets[c.dataset];
      }
      cases.push({ expr, input, bindings: c.bindings || {} });
    }
  }
}

async function pass() {
  for (const c of cases) {
    try {
      await jsonata(c.expr).evaluate(c.input, c.bindings);
    } catch (e) { /* expected errors are part of the suite */ }
  }
}

await pass(); // warm-up
const times = [];
for (let i = 0; i < passes; i++) {
  const t0 = process.hrtime.bigint();
  await pass();
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`jsonata-js ${require('jsonata/package.json').version}: ${cases.length} cases, one pass: median ${times[times.length >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (${passes} passes)`);
