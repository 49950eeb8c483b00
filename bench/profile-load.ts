import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { stripeSignatureHeader } from '../src/providers/stripe/sign';

/** Ad-hoc load for profiling: `node --import tsx bench/profile-load.ts URL SECONDS`. */
const [url, seconds] = [process.argv[2]!, Number(process.argv[3] ?? 10)];
const template = readFileSync(path.join(__dirname, '../fixtures/stripe/charge.dispute.created.json'), 'utf8');
const run = randomBytes(3).toString('hex');
let i = 0;
const instance = autocannon(
  {
    url,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/stripe',
        setupRequest: (request) => {
          const body = template.replace('evt_1QkZrALzW8xYp1AaQ2w9xV3b', `evt_prof_${run}_${i++}`);
          return { ...request, body, headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, 'whsec_bench_0123456789abcdef') } };
        },
      },
    ],
  },
  (err, result) => {
    if (err) throw err;
    console.log(`${result.requests.average} req/s p50 ${result.latency.p50} p99 ${result.latency.p99} non2xx ${result.non2xx} errors ${result.errors}`);
  },
);
void instance;
