// SimpleConsumer scenarios: change invisible duration and redelivery, and
// retries that end in the dead-letter queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { producer, simpleConsumer, receiveUntil, hasBodies, text, runId, sleep } from './env.mjs';

test('simple consumer: changeInvisibleDuration brings a message back as attempt 2', async () => {
  const topic = 'n_invis';
  const body = `invisible-${runId}`;
  const p = await producer([ topic ]);
  try {
    await p.send({ topic, body: Buffer.from(body) });
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer('n_invis_cg', topic);
  try {
    const first = await receiveUntil(c, { invisibleMs: 60000, done: hasBodies([ body ]) });
    const m = first.find(x => text(x) === body);
    assert.ok(m, 'message not received');
    assert.equal(m.deliveryAttempt, 1);
    const oldHandle = m.receiptHandle;
    await c.changeInvisibleDuration(m, 2000);
    assert.notEqual(m.receiptHandle, oldHandle, 'a new receipt handle');
    const again = await receiveUntil(c, { invisibleMs: 60000, timeoutMs: 90000, done: hasBodies([ body ]) });
    const r = again.find(x => text(x) === body);
    assert.ok(r, 'message not redelivered');
    assert.equal(r.messageId, m.messageId);
    assert.equal(r.deliveryAttempt, 2);
    await c.ack(r);
    // Acked: it does not come back.
    const after = await receiveUntil(c, { invisibleMs: 2000, timeoutMs: 5000, done: () => false });
    assert.ok(!after.some(x => text(x) === body), 'acked message delivered again');
  } finally {
    await c.shutdown();
  }
});

test('simple consumer: a message never acked ends in %DLQ%group after max attempts', async () => {
  const topic = 'n_dlq';
  const group = 'n_dlq_cg'; // retryMaxTimes=1 (run.sh): 2 deliveries
  const body = `poison-${runId}`;
  const p = await producer([ topic ]);
  try {
    await p.send({ topic, tag: 'Poison', keys: [ 'poison-key' ], body: Buffer.from(body) });
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer(group, topic);
  let d;
  try {
    // Never ack: each delivery becomes visible again after 2 s.
    const got = await receiveUntil(c, { invisibleMs: 2000, timeoutMs: 90000, done: g => g.filter(m => text(m) === body).length >= 2 });
    const deliveries = got.filter(m => text(m) === body);
    assert.equal(deliveries.length, 2, 'deliveries of the poison message');
    assert.deepEqual(deliveries.map(m => m.deliveryAttempt), [ 1, 2 ]);
    // The next receive that finds it dead-letters it instead.
    const end = Date.now() + 120000;
    while (!d && Date.now() < end) {
      for (const m of await c.receive(16, 2000)) {
        assert.notEqual(text(m), body, 'poison message delivered a third time');
      }
      try {
        d = await simpleConsumer('n_dlq_reader', `%DLQ%${group}`);
      } catch {
        await sleep(500); // %DLQ% topic not created yet
      }
    }
  } finally {
    await c.shutdown();
  }
  assert.ok(d, `%DLQ%${group} never appeared`);
  try {
    const dead = await receiveUntil(d, { ack: true, timeoutMs: 120000, done: hasBodies([ body ]) });
    const m = dead.find(x => text(x) === body);
    assert.ok(m, `poison message not in %DLQ%${group}`);
    assert.equal(m.tag, 'Poison');
    assert.deepEqual(m.keys, [ 'poison-key' ]);
  } finally {
    await d.shutdown();
  }
});
