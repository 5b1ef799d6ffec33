// One per-call measurement: `node rps-runner.mjs <bundle.mjs> <baseUrl> <warmup> <calls>`.
// Imports the consumer bundle, checks that a call returns the right `full_name`, warms up, then makes <calls>
// sequential calls and prints {"rps":…,"calls":…,"ms":…} as one JSON line.
const [bundle, baseUrl, warmupArg, callsArg] = process.argv.slice(2);
const warmup = Number(warmupArg);
const calls = Number(callsArg);
const { makeGetRepo } = await import(bundle);
const getRepo = makeGetRepo(baseUrl);

const first = await getRepo("octo", "hello world");
if (first !== "octo/hello world") throw new Error(`unexpected full_name ${JSON.stringify(first)}`);
for (let i = 0; i < warmup; i++) await getRepo("octo", `warm-${i}`);

const started = process.hrtime.bigint();
for (let i = 0; i < calls; i++) await getRepo("octo", `repo-${i}`);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ rps: (calls / ms) * 1000, calls, ms }));
