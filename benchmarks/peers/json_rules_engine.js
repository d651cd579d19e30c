// The delivery-delay decision in json-rules-engine: its rules decide which guards hold (the
// engine's job); the arithmetic on the events that fired is plain JavaScript in integer cents,
// as an integration using json-rules-engine would write it (the engine has no arithmetic).
'use strict';
const { Engine } = require('json-rules-engine');

const rule = (name, conditions) => ({ name, conditions, event: { type: name } });
const fact = (f, operator, value) => ({ fact: f, operator, value });

function makeEngine() {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.addRule(rule('offer', { all: [fact('days_late', 'greaterThanInclusive', 1)] }));
  engine.addRule(rule('aggressive', { all: [fact('emotion', 'equal', 'aggressive')] }));
  engine.addRule(rule('third_contact', { all: [fact('contacts', 'greaterThanInclusive', 3)] }));
  engine.addRule(rule('public', { all: [fact('public', 'equal', true)] }));
  engine.addRule(rule('vip', { any: [fact('tier', 'equal', 'gold'),
                                     fact('order_value_cents', 'greaterThanInclusive', 100000)] }));
  engine.addRule(rule('refund_shipping', { all: [fact('days_late', 'greaterThanInclusive', 1)] }));
  engine.addRule(rule('delay_credit', { all: [fact('days_late', 'greaterThanInclusive', 3)] }));
  engine.addRule(rule('goodwill', { all: [fact('tier', 'equal', 'gold')] }));
  engine.addRule(rule('hold', { all: [fact('claims_90d', 'greaterThanInclusive', 3)] }));
  return engine;
}

const LADDER = ['agent', 'supervisor', 'manager', 'director'];

async function decide(engine, c) {
  const { events } = await engine.run(c);
  const fired = new Set(events.map((e) => e.type));
  let rank = 0;
  if (fired.has('aggressive')) rank = Math.max(rank, 1);
  if (fired.has('third_contact')) rank = Math.min(rank + 1, LADDER.length - 1);
  if (fired.has('public')) rank = Math.max(rank, 1);
  if (fired.has('vip')) rank = Math.max(rank, 2);
  let sum = 0;
  if (fired.has('refund_shipping')) sum += c.shipping_fee_cents;
  if (fired.has('delay_credit')) sum += Math.floor((c.order_value_cents * c.days_late + 100) / 200);
  if (fired.has('goodwill')) sum += 1000;
  const cap = c.order_value_cents > 0 ? Math.min(c.order_value_cents, 10000) : 10000;
  const total = Math.min(sum, cap);
  const held = fired.has('hold');
  const approval = held ? 'manager' : total > 8000 ? 'manager' : total > 3000 ? 'supervisor' : null;
  return { state: fired.has('offer') ? 'offer' : 'investigating', level: LADDER[rank],
           total_cents: total, capped: cap < sum, approval, held };
}

module.exports = { makeEngine, decide };
