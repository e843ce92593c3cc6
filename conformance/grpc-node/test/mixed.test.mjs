// Mixed-protocol delivery: what the Node.js client sends over gRPC a
// remoting client reads (bin/mqadmin), and what a remoting client sends
// (bin/mqadmin sendMessage) the Node.js SimpleConsumer receives, with the
// same message id, tag, keys and properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { producer, simpleConsumer, receiveUntil, hasBodies, text, runId, mqadmin } from './env.mjs';

test('mixed: a message sent over gRPC is read by remoting clients with tag, keys and properties', async () => {
  const topic = 'n_mixed_out';
  const body = `to-remoting-${runId}`;
  const p = await producer([ topic ]);
  let id;
  try {
    const r = await p.send({
      topic, tag: 'TagM', keys: [ 'mk1', 'mk2' ], body: Buffer.from(body),
      properties: new Map([[ 'color', 'red' ], [ 'size', 'XL' ]]),
    });
    id = r.messageId;
  } finally {
    await p.shutdown();
  }
  // QUERY_MESSAGE by unique key (the index), then the message itself.
  const q = await mqadmin('queryMsgByUniqueKey', '-t', topic, '-i', id);
  assert.match(q, /^Topic:\s+n_mixed_out$/m);
  assert.match(q, /^Tags:\s+\[TagM\]$/m);
  assert.match(q, /^Keys:\s+\[mk1 mk2\]$/m);
  assert.match(q, new RegExp(`UNIQ_KEY=${id}`));
  assert.match(q, /color=red/);
  assert.match(q, /size=XL/);
  const path = q.match(/^Message Body Path:\s+(\S+)$/m)?.[1];
  assert.ok(path, q);
  assert.equal(readFileSync(path, 'utf8'), body);
  // PULL_MESSAGE: the message among the topic's.
  const c = await mqadmin('consumeMessage', '-t', topic, '-c', '64');
  const line = c.split('\n').find(l => l.startsWith(`MSGID: ${id} `));
  assert.ok(line, c);
  assert.ok(line.endsWith(`BODY: ${body}`), line);
  assert.match(line, /TAGS=TagM/);
  assert.match(line, /KEYS=mk1 mk2/);
  assert.match(line, /color=red/);
});

test('mixed: a message sent by a remoting client is received over gRPC with tag and keys', async () => {
  const topic = 'n_mixed_in';
  const body = `from-remoting-${runId}`;
  const sent = JSON.parse(await mqadmin('sendMessage', '-t', topic, '-p', body, '-k', 'rk1 rk2', '-c', 'TagR', '--json'));
  assert.equal(sent.sendStatus, 'SEND_OK');
  const c = await simpleConsumer('n_mixed_in_cg', topic, 'TagR');
  try {
    const got = await receiveUntil(c, { ack: true, done: hasBodies([ body ]) });
    const m = got.find(x => text(x) === body);
    assert.ok(m, 'message not received');
    assert.equal(m.messageId, sent.msgId);
    assert.equal(m.topic, topic);
    assert.equal(m.tag, 'TagR');
    assert.deepEqual(m.keys, [ 'rk1', 'rk2' ]);
    assert.equal(m.deliveryAttempt, 1);
    for (const k of m.properties.keys()) {
      assert.ok(![ 'UNIQ_KEY', 'TAGS', 'KEYS', 'POP_CK' ].includes(k), `system property ${k} among user properties`);
    }
  } finally {
    await c.shutdown();
  }
});
