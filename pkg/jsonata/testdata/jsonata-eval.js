// Evaluates JSON lines {"expr": ...} with jsonata-js (NODE_PATH must hold jsonata@2.0.6), from
// line argv[4] on, appending one JSON line per expression to argv[3]: {"r": value}, {"u": true}
// for undefined, or {"code": ...} (a JavaScript error without a code as "JS:<name>:<message>").
const jsonata = require('jsonata');
const fs = require('fs');
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l);
(async () => {
  for (let i = +process.argv[4] || 0; i < lines.length; i++) {
    let r;
    try {
      const v = await jsonata(JSON.parse(lines[i]).expr).evaluate({});
      if (v === undefined) r = {u: true};
      else if (typeof v === 'number' && !isFinite(v)) r = {r: null};
      else r = {r: v};
    } catch (e) {
      r = {code: e.code || ('JS:' + (e.name || '') + ':' + e.message)};
    }
    fs.appendFileSync(process.argv[3], JSON.stringify(r) + '\n');
  }
})();
