// Shared setup for the scenarios: the endpoint run.sh started, client
// factories, and polling helpers. Every client logs to target/client.log.
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Producer, SimpleConsumer, PushConsumer } from 'rocketmq-client-nodejs';

/** The gRPC endpoint under test (host:port). */
export const endpoints = process.env.BOOSTER_GRPC || '127.0.0.1:8081';
/** The NameServer of the Booster under test, for remoting-side checks. */
export const namesrv = process.env.BOOSTER_NAMESRV || '127.0.0.1:9876';
/** bin/mqadmin. */
export const mqadminBin = process.env.BOOSTER_MQADMIN || 'bin/mqadmin';

const logFile = process.env.BOOSTER_CLIENT_LOG;
const write = level => (...args) => {
  if (logFile) appendFileSync(logFile, `${new Date().toISOString()} ${level} ${format(...args)}\n`);
};
/** A logger for the clients: lines go to BOOSTER_CLIENT_LOG. */
export const logger = { info: write('INFO'), warn: write('WARN'), error: write('ERROR'), debug: write('DEBUG') };

/** Starts a producer for topics. */
export async function producer(topics, extra = {}) {
  const p = new Producer({ endpoints, namespace: '', logger, topics, ...extra });
  await p.startup();
  return p;
}

/** Starts a SimpleConsumer of group on topic (tag filter expression, default all). */
export async function simpleConsumer(group, topic, expression = '*', extra = {}) {
  const c = new SimpleConsumer({
    endpoints, namespace: '', logger, consumerGroup: group,
    subscriptions: new Map([[ topic, expression ]]), awaitDuration: 3000, ...extra,
  });
  await c.startup();
  return c;
}

/** Starts a PushConsumer of group on topic calling listener for each message. */
export async function pushConsumer(group, topic, listener, extra = {}) {
  const c = new PushConsumer({
    endpoints, namespace: '', logger, consumerGroup: group,
    subscriptions: new Map([[ topic, '*' ]]), messageListener: { consume: listener }, ...extra,
  });
  await c.startup();
  return c;
}

/** Sleeps ms. */
export const sleep = ms => new Promise(r => setTimeout(r, ms));

/** The body of a message as text. */
export const text = m => m.body.toString('utf8');

/**
 * Receives with c (invisible for invisibleMs) until done(all received so far)
 * holds or timeoutMs passes; acks what it receives when ack is set. Returns
 * every message received, in order.
 */
export async function receiveUntil(c, { invisibleMs = 30000, ack = false, timeoutMs = 60000, done }) {
  const got = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ms = await c.receive(16, invisibleMs);
    for (const m of ms) {
      got.push(m);
      if (ack) await c.ack(m);
    }
    if (done(got)) break;
  }
  return got;
}

/** done-predicate: every body in want has been received. */
export const hasBodies = want => got => {
  const seen = new Set(got.map(text));
  return [ ...want ].every(b => seen.has(b));
};

/** Runs bin/mqadmin with args against the NameServer and returns stdout. */
export async function mqadmin(...args) {
  const { stdout } = await promisify(execFile)(mqadminBin, [ ...args, '-n', namesrv ], { timeout: 60000 });
  return stdout;
}

/** A unique suffix for message bodies of one run. */
export const runId = `${process.pid}-${Date.now().toString(36)}`;
