// CPU time per call, for comparing clients on a busy machine where wall-clock requests/s is noisy:
// `node cpu-runner.mjs <bundle.mjs> <baseUrl> <warmup> <calls>`, the same consumer bundles and server as
// rps-runner.mjs (start bench/lib/server.mjs, which prints its port). Prints {"cpuUsPerCall":…,"rps":…}: this
// process's user+system CPU microseconds per sequential call (the server's are not counted), and the rate.
// Not part of `npm run bench`; run it by hand, interleaving the bundles compared, and compare medians.
const [bundle, baseUrl, warmupArg, callsArg] = process.argv.slice(2);
const { makeGetRepo } = await import(bundle);
const getRepo = makeGetRepo(baseUrl);
for (let i = 0; i < Number(warmupArg); i++) await getRepo("octo", `warm-${i}`);
const calls = Number(callsArg);
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
for (let i = 0; i < calls; i++) await getRepo("octo", `repo-${i}`);
const used = process.cpuUsage(cpu);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(
  JSON.stringify({
    cpuUsPerCall: Math.round(((used.user + used.system) / calls) * 10) / 10,
    rps: Math.round((calls / ms) * 1000),
  }),
);
