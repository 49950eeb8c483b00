import { benchIngest } from './ingest';
import { benchInsights } from './insights';

/** `npm run bench`: every benchmark prints its figures, then one JSON line each. */
async function main(): Promise<void> {
  const results = [await benchIngest(), await benchInsights()];
  for (const result of results) console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
