#!/usr/bin/env node
// The delivery-delay decision in redress, GoRules ZEN (JDM) and json-rules-engine, over the same
// generated cases, every answer checked identical, each engine timed the same way: the median of
// RUNS passes over all cases, one evaluation after the other, inputs prepared before the clock
// starts. Not part of CI.
//   cd benchmarks/peers && npm ci
//   node run.js --redress ../../build/benchmarks/redress_peer [--cases 100000] [--seed 1] [--runs 3]
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { cases: generate } = require('./generate');
const { ZenEngine } = require('@gorules/zen-engine');
const jre = require('./json_rules_engine');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('--cases', 100000));
const SEED = Number(opt('--seed', 1));
const RUNS = Number(opt('--runs', 3));
const REDRESS = path.resolve(opt('--redress', path.join(__dirname, '../../build/benchmarks/redress_peer')));
// The peers' decision is the first edition of the bundled delivery_delay, frozen in ./pack: the
// bundled pack's later editions (issue #13) change the decision, which the JDM, the
// json-rules-engine rules and the hand-written C++ here would no longer match.
const PACK = path.resolve(opt('--pack', path.join(__dirname, 'pack')));

const cents = (money) => {
  const [amount] = money.split(' ');
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
};

// The peers take the money facts as integer cents (neither has an exact money type).
const peerInput = (c) => ({ ...c.facts, order_value_cents: cents(c.facts.order_value),
                            shipping_fee_cents: cents(c.facts.shipping_fee) });

const normal = (a) => ({ state: a.state, level: a.level, total_cents: a.total_cents, capped: a.capped,
                         approval: a.approval === undefined ? null : a.approval, held: a.held });
const same = (a, b) => JSON.stringify(normal(a)) === JSON.stringify(normal(b));

// Medians over `runs` of one pass: CPU seconds of the process (all its threads, the engines'
// native ones included) and wall seconds. On a shared machine the CPU time is the steadier one.
async function medianSeconds(runs, pass) {
  const cpu = [], wall = [];
  for (let i = 0; i < runs; ++i) {
    const c0 = process.cpuUsage();
    const start = performance.now();
    await pass();
    wall.push((performance.now() - start) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const median = (t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
  return { cpu: median(cpu), wall: median(wall) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-peers-'));
  const casesFile = path.join(dir, 'cases.jsonl');
  const all = [...generate(N, SEED)];
  fs.writeFileSync(casesFile, all.map((c) => JSON.stringify(c)).join('\n') + '\n');

  const answersFile = path.join(dir, 'redress.jsonl');
  const r = JSON.parse(execFileSync(REDRESS, [PACK, casesFile, answersFile, String(RUNS)], { encoding: 'utf8' }));
  if (r.mismatches) throw new Error(`redress differs from the hand-written decision on ${r.mismatches} cases`);
  const expected = fs.readFileSync(answersFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const inputs = all.map(peerInput);

  const zen = new ZenEngine().createDecision(JSON.parse(fs.readFileSync(path.join(__dirname, 'delivery_delay.jdm.json'), 'utf8')));
  const engine = jre.makeEngine();
  const peers = [
    { name: 'GoRules ZEN 0.54 (JDM, Rust core via napi)', decide: async (c) => (await zen.evaluate(c)).result },
    { name: 'json-rules-engine 7.3.1', decide: (c) => jre.decide(engine, c) },
  ];

  const rows = [
    { engine: 'hand-written C++ (the floor)', us: r.floor_us, wall: r.floor_wall_us },
    { engine: 'redress evaluate(BoundCase)', us: r.bound_us, wall: r.bound_wall_us },
    { engine: 'redress evaluate_into(BoundCase, Decision&)', us: r.into_us, wall: r.into_wall_us },
    { engine: 'redress evaluate(BoundCase), 2 threads', us: r.bound_2threads_cpu_us, wall: r.bound_2threads_wall_us },
    { engine: 'redress evaluate(Case)', us: r.case_us, wall: r.case_wall_us },
    { engine: 'redress JSON text -> parse_case -> evaluate -> to_json', us: r.json_us, wall: r.json_wall_us },
  ];
  for (const p of peers) {
    for (let i = 0; i < inputs.length; ++i) {
      const got = await p.decide(inputs[i]);
      if (!same(got, expected[i]))
        throw new Error(`${p.name}: case ${i + 1} differs from redress: ${JSON.stringify(normal(got))} vs ${JSON.stringify(expected[i])}`);
    }
    const s = await medianSeconds(RUNS, async () => {
      for (const c of inputs) await p.decide(c);
    });
    rows.push({ engine: p.name, us: (s.cpu / inputs.length) * 1e6, wall: (s.wall / inputs.length) * 1e6 });
  }
  fs.rmSync(dir, { recursive: true });

  // Two ratios: to redress on prepared input (BoundCase: what the peers get, objects already in
  // memory) and to redress end to end (JSON text in, Decision JSON out).
  console.log(`${N} cases (seed ${SEED}), median of ${RUNS} runs, every answer identical to redress's; ` +
              'µs = process CPU time per evaluation (all threads), wall = elapsed time per evaluation');
  console.log('| engine | µs/evaluation (CPU) | evaluations/s (CPU) | wall µs | × redress BoundCase | × redress JSON text to JSON |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const ratio = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(2)) + '×';
  for (const row of rows)
    console.log(`| ${row.engine} | ${row.us.toFixed(3)} | ${Math.round(1e6 / row.us).toLocaleString('en-US')} | ${row.wall.toFixed(3)} | ` +
                `${ratio(row.us / r.bound_us)} | ${ratio(row.us / r.json_us)} |`);
}

main().catch((e) => {
  console.error(`run.js: ${e.message}`);
  process.exit(1);
});
