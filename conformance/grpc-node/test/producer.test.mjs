// Producer scenarios: normal, FIFO, delay, and the message fields a
// consumer gets back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { producer, simpleConsumer, receiveUntil, hasBodies, text, runId } from './env.mjs';

test('producer: normal messages with tag, keys and properties reach a SimpleConsumer', async () => {
  const topic = 'n_normal';
  const p = await producer([ topic ]);
  const want = new Set();
  const ids = new Map();
  try {
    for (let i = 0; i < 5; i++) {
      const body = `normal-${i}-${runId}`;
      const r = await p.send({
        topic, tag: 'TagA', keys: [ `k${i}`, 'common' ], body: Buffer.from(body),
        properties: new Map([[ 'color', 'blue' ], [ 'n', String(i) ]]),
      });
      assert.ok(r.messageId, 'send receipt has a message id');
      want.add(body);
      ids.set(body, r.messageId);
    }
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer('n_normal_cg', topic, 'TagA');
  try {
    const got = await receiveUntil(c, { ack: true, done: hasBodies(want) });
    assert.ok(hasBodies(want)(got), `received ${got.map(text)}`);
    for (const m of got.filter(m => want.has(text(m)))) {
      assert.equal(m.topic, topic);
      assert.equal(m.tag, 'TagA');
      assert.equal(m.messageId, ids.get(text(m)));
      const i = text(m).split('-')[1];
      assert.deepEqual([ ...m.keys ].sort(), [ 'common', `k${i}` ].sort());
      assert.equal(m.properties.get('color'), 'blue');
      assert.equal(m.properties.get('n'), i);
      assert.equal(m.deliveryAttempt, 1);
      assert.ok(!m.corrupted, 'body digest matches');
      assert.ok(m.bornTimestamp instanceof Date);
    }
  } finally {
    await c.shutdown();
  }
});

test('producer: FIFO messages of one group arrive in send order', async () => {
  const topic = 'n_fifo';
  const sent = [];
  const p = await producer([ topic ]);
  try {
    for (let i = 0; i < 10; i++) {
      const body = `fifo-${i}-${runId}`;
      await p.send({ topic, messageGroup: 'order-1', body: Buffer.from(body) });
      sent.push(body);
    }
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer('n_fifo_cg', topic); // consumeMessageOrderly (run.sh)
  try {
    const got = await receiveUntil(c, { ack: true, done: g => g.length >= sent.length });
    assert.deepEqual(got.map(text), sent);
    for (const m of got) assert.equal(m.messageGroup, 'order-1');
  } finally {
    await c.shutdown();
  }
});

test('producer: a delay message is delivered after its delivery time', async () => {
  const topic = 'n_delay';
  const body = `delay-${runId}`;
  const delay = 3000;
  const p = await producer([ topic ]);
  let at;
  try {
    at = Date.now() + delay;
    await p.send({ topic, body: Buffer.from(body), delay });
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer('n_delay_cg', topic);
  try {
    const got = await receiveUntil(c, { ack: true, done: hasBodies([ body ]) });
    const m = got.find(m => text(m) === body);
    assert.ok(m, 'delay message not received');
    const now = Date.now();
    assert.ok(now >= at - 100, `delivered ${at - now} ms early`);
    assert.ok(m.deliveryTimestamp instanceof Date, 'delivery timestamp set');
    assert.ok(Math.abs(m.deliveryTimestamp.getTime() - at) < 1000, `delivery timestamp ${m.deliveryTimestamp.toISOString()}`);
  } finally {
    await c.shutdown();
  }
});

test('producer: failures come back with Apache\'s status codes', async () => {
  const topic = 'n_normal';
  const p = await producer([ topic ]);
  try {
    await assert.rejects(p.send({ topic: 'n_no_such_topic', body: Buffer.from('x') }),
      err => err.name === 'NotFoundException' && err.code === 40402, 'unknown topic: TOPIC_NOT_FOUND');
    await assert.rejects(p.send({ topic, body: Buffer.from('x'), properties: new Map([[ 'UNIQ_KEY', 'mine' ]]) }),
      err => err.name === 'BadRequestException' && err.code === 40007, 'a system property key: ILLEGAL_MESSAGE_PROPERTY_KEY');
  } finally {
    await p.shutdown();
  }
});
