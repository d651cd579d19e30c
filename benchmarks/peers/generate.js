#!/usr/bin/env node
// The shared case generator: one deterministic stream of delivery-delay cases per seed, written
// as JSON Lines in redress's case format (spec §6). Every engine reads this same file.
//   node generate.js --cases 100000 --seed 1 > cases.jsonl
'use strict';

// mulberry32: a tiny PRNG with the same sequence on every platform (Math.random is not seedable).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));  // inclusive
const cents = (n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')} EUR`;

function* cases(n, seed) {
  const r = rng(seed);
  for (let i = 0; i < n; ++i) {
    // One order in twenty has no known value (0 EUR: the cap falls back to 100 EUR).
    const orderValue = r() < 0.05 ? 0 : int(r, 100, 300000);
    yield {
      playbook: 'delivery_delay',
      state: 'investigating',
      now: '2026-11-23T10:00:00Z',
      entered_at: `2026-11-23T0${int(r, 0, 9)}:00:00Z`,
      facts: {
        category: 'delivery',
        order_id: `C-${i}`,
        order_value: cents(orderValue),
        shipping_fee: cents(int(r, 0, 1500)),
        days_late: int(r, 0, 20),
        tier: pick(r, ['standard', 'silver', 'gold']),
        emotion: pick(r, ['calm', 'upset', 'aggressive']),
        contacts: int(r, 1, 5),
        public: r() < 0.1,
        claims_90d: int(r, 0, 4),
      },
    };
  }
}

module.exports = { cases };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const n = opt('--cases', 100000);
  const seed = opt('--seed', 1);
  const out = [];
  for (const c of cases(n, seed)) out.push(JSON.stringify(c));
  process.stdout.write(out.join('\n') + '\n');
}
