// The baseline for bench/predict: bare node:http doing the same work as POST /predict (read and parse the
// JSON body, check the features, score the logistic model, reply JSON). No framework, no validation
// library, no logging, no metrics.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const model = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const w = Float64Array.from(model.weights);
const b = model.bias;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/predict') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"ok":false}');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    let x;
    try {
      x = JSON.parse(body).features;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"ok":false}');
      return;
    }
    if (
      !Array.isArray(x) ||
      x.length !== w.length ||
      !x.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end('{"ok":false}');
      return;
    }
    let z = b;
    for (let i = 0; i < w.length; i++) z += x[i] * w[i];
    const p = Math.min(1 - 1e-6, Math.max(1e-6, 1 / (1 + Math.exp(-z))));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ p_win: p }));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
