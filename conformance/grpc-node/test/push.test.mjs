// PushConsumer scenarios: consumption with a failed first attempt, and a
// FIFO message that keeps failing forwarded to the dead-letter queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumeResult } from 'rocketmq-client-nodejs';
import { producer, pushConsumer, simpleConsumer, receiveUntil, hasBodies, text, runId, sleep } from './env.mjs';

/** Waits until cond() holds or ms pass. */
async function until(cond, ms) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(100);
  return cond();
}

test('push consumer: every message consumed; a failed one comes back as attempt 2', async () => {
  const topic = 'n_push';
  const want = new Set();
  for (let i = 0; i < 5; i++) want.add(`push-${i}-${runId}`);
  const failing = `push-2-${runId}`;
  const seen = []; // [body, attempt]
  const c = await pushConsumer('n_push_cg', topic, async m => {
    seen.push([ text(m), m.deliveryAttempt ]);
    return text(m) === failing && m.deliveryAttempt === 1 ? ConsumeResult.FAILURE : ConsumeResult.SUCCESS;
  });
  try {
    const p = await producer([ topic ]);
    try {
      for (const body of want) await p.send({ topic, tag: 'P', body: Buffer.from(body) });
    } finally {
      await p.shutdown();
    }
    const ok = () => [ ...want ].every(b => seen.some(([ sb, a ]) => sb === b && (b !== failing || a === 2)));
    assert.ok(await until(ok, 90000), `consumed ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.filter(([ b ]) => b === failing).map(([ , a ]) => a), [ 1, 2 ]);
  } finally {
    await c.shutdown();
  }
});

test('push consumer: a failed FIFO message is forwarded to %DLQ%group and the group goes on', async () => {
  // The Node.js client implements no customized backoff, the default group
  // retry policy (as with Apache's proxy), so a push consumer gets one
  // attempt per FIFO message: a failure is forwarded to the DLQ at once
  // (ForwardMessageToDeadLetterQueue).
  const topic = 'n_fifo_dlq';
  const group = 'n_fifo_dlq_cg'; // orderly (run.sh)
  const bodies = [ `fifo-dlq-0-${runId}`, `fifo-dlq-1-${runId}`, `fifo-dlq-2-${runId}` ];
  const seen = [];
  const c = await pushConsumer(group, topic, async m => {
    seen.push(text(m));
    return text(m) === bodies[0] ? ConsumeResult.FAILURE : ConsumeResult.SUCCESS;
  });
  try {
    const p = await producer([ topic ]);
    try {
      for (const body of bodies) {
        await p.send({ topic, messageGroup: 'g1', tag: 'F', keys: [ 'fk' ], body: Buffer.from(body) });
      }
    } finally {
      await p.shutdown();
    }
    assert.ok(await until(() => seen.includes(bodies[2]), 90000), `consumed ${JSON.stringify(seen)}`);
    assert.deepEqual(seen, bodies);
  } finally {
    await c.shutdown();
  }
  const d = await simpleConsumer('n_fifo_dlq_reader', `%DLQ%${group}`);
  try {
    const dead = await receiveUntil(d, { ack: true, done: hasBodies([ bodies[0] ]) });
    const m = dead.find(x => text(x) === bodies[0]);
    assert.ok(m, `${bodies[0]} not in %DLQ%${group}`);
    assert.equal(m.tag, 'F');
    assert.deepEqual(m.keys, [ 'fk' ]);
    assert.ok(!dead.some(x => text(x) !== bodies[0]), 'only the failed message is dead-lettered');
  } finally {
    await d.shutdown();
  }
});
