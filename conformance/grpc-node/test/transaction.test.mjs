// Transactional messages: commit, rollback, and the check-back of a
// transaction the producer left open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import definition from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb.js';
import { producer, simpleConsumer, receiveUntil, hasBodies, text, runId, sleep } from './env.mjs';

const { TransactionResolution } = definition;

test('transaction: committed is delivered, rolled back is not', async () => {
  const topic = 'n_txn';
  const committed = `txn-commit-${runId}`;
  const rolledBack = `txn-rollback-${runId}`;
  const p = await producer([ topic ], { checker: { check: async () => TransactionResolution.ROLLBACK } });
  try {
    const t1 = p.beginTransaction();
    const r1 = await p.send({ topic, body: Buffer.from(committed) }, t1);
    assert.ok(r1.transactionId, 'transaction id');
    const t2 = p.beginTransaction();
    await p.send({ topic, body: Buffer.from(rolledBack) }, t2);
    await t2.rollback();
    await t1.commit();
  } finally {
    await p.shutdown();
  }
  const c = await simpleConsumer('n_txn_cg', topic);
  try {
    const got = await receiveUntil(c, { ack: true, done: hasBodies([ committed ]) });
    assert.ok(hasBodies([ committed ])(got), 'committed message not received');
    // Give a wrongly delivered rollback a chance to show up.
    const more = await receiveUntil(c, { ack: true, timeoutMs: 4000, done: () => false });
    assert.ok(![ ...got, ...more ].some(m => text(m) === rolledBack), 'rolled-back message delivered');
  } finally {
    await c.shutdown();
  }
});

test('transaction: an open transaction is resolved by the check-back', async () => {
  const topic = 'n_txn_check';
  const body = `txn-check-${runId}`;
  const checked = [];
  const p = await producer([ topic ], {
    checker: {
      check: async m => {
        checked.push(text(m));
        return TransactionResolution.COMMIT;
      },
    },
  });
  try {
    const t = p.beginTransaction();
    await p.send({ topic, body: Buffer.from(body), properties: new Map([[ 'p', 'v' ]]) }, t);
    // Neither commit nor rollback: the broker asks (transactionTimeOut=3 s,
    // checked every second; run.sh).
    const end = Date.now() + 60000;
    while (!checked.includes(body) && Date.now() < end) await sleep(200);
    assert.ok(checked.includes(body), 'no check-back arrived');
    const c = await simpleConsumer('n_txn_check_cg', topic);
    try {
      const got = await receiveUntil(c, { ack: true, done: hasBodies([ body ]) });
      const m = got.find(m => text(m) === body);
      assert.ok(m, 'message committed by the check-back not received');
      assert.equal(m.properties.get('p'), 'v');
    } finally {
      await c.shutdown();
    }
  } finally {
    await p.shutdown();
  }
});
