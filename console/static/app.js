// Booster console: a single page over the JSON API under /api/.
// Pages are chosen by the URL hash (#/cluster, #/topics, #/topic/T,
// #/groups, #/group/G, #/messages, #/dlq). When a page has its data,
// body[data-ready] names it (the browser tests wait for that).
"use strict";

const main = document.getElementById("main");
const samples = { times: [], series: {} }; // live chart samples, by broker
const maxPoints = 120;
let lastTotals = {};

// el builds an element: attributes (on* are listeners) and children
// (strings become text nodes, never HTML).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const resp = await fetch("api/" + path, opts);
  const data = await resp.json();
  if (!resp.ok) throw new Error(data.error || resp.statusText);
  return data;
}

function fmtTime(ms) {
  if (!ms || ms <= 0) return "-";
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function table(id, headers, rows) {
  return el("table", { id },
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { class: h.num ? "num" : null }, h.label || h)))),
    el("tbody", {}, rows));
}

function num(v, cls) { return el("td", { class: "num" + (cls ? " " + cls : "") }, v); }

// show replaces an element's children (arrays are flattened, null and
// undefined left out).
function show(parent, ...children) {
  parent.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

function ready(page) { document.body.dataset.ready = page; }

function errorBox(err) { return el("p", { class: "error" }, "Error: " + err.message); }

function kindTag(kind) { return kind === "normal" ? null : el("span", { class: "tag " + kind }, kind); }

// confirmAction shows the modal and resolves true on Confirm.
function confirmAction(title, text) {
  const modal = document.getElementById("modal");
  document.getElementById("modal-title").textContent = title;
  document.getElementById("modal-text").textContent = text;
  modal.classList.remove("hidden");
  return new Promise((resolve) => {
    const done = (ok) => {
      modal.classList.add("hidden");
      ok_.removeEventListener("click", yes);
      cancel.removeEventListener("click", no);
      resolve(ok);
    };
    const ok_ = document.getElementById("modal-confirm");
    const cancel = document.getElementById("modal-cancel");
    const yes = () => done(true);
    const no = () => done(false);
    ok_.addEventListener("click", yes);
    cancel.addEventListener("click", no);
  });
}

// ---- cluster and charts ----

async function pageCluster() {
  show(main, el("h2", {}, "Cluster"), el("p", { class: "muted" }, "Loading…"));
  let v;
  try { v = await api("cluster"); } catch (e) { show(main, el("h2", {}, "Cluster"), errorBox(e)); return; }
  const out = [el("h2", {}, "Cluster"), el("p", { class: "muted", id: "namesrv" }, "NameServer: " + v.namesrv.join(", "))];
  for (const c of v.clusters) {
    out.push(el("section", { class: "card cluster", "data-cluster": c.name },
      el("h3", {}, "Cluster " + c.name),
      table("brokers-" + c.name, ["Broker", "ID", "Address", "Version", { label: "Put TPS (10s 60s 600s)" }, { label: "Get TPS (10s 60s 600s)" },
        { label: "Put total", num: true }, { label: "Get total", num: true }, "Disk", "Uptime"],
        c.brokers.map((b) => el("tr", { class: "broker", "data-broker": b.brokerName },
          el("td", {}, b.brokerName), num(b.brokerId), el("td", {}, b.addr),
          b.error ? el("td", { class: "error", colspan: 7 }, b.error) : [
            el("td", {}, b.version), el("td", {}, b.putTps), el("td", {}, b.getTps),
            el("td", { class: "num", "data-put": b.brokerName + ":" + b.brokerId }, b.msgPutTotalTodayNow),
            el("td", { class: "num", "data-get": b.brokerName + ":" + b.brokerId }, b.msgGetTotalTodayNow),
            el("td", {}, b.commitLogDiskRatio), el("td", {}, b.runtime)])))));
  }
  out.push(el("h3", {}, "Live"), el("div", { class: "charts" },
    el("section", { class: "card" }, el("b", {}, "Throughput (messages/s)"), el("div", { class: "legend", id: "legend-tps" }), el("canvas", { id: "chart-tps" })),
    el("section", { class: "card" }, el("b", {}, "Latency (ms)"), el("div", { class: "legend", id: "legend-latency" }), el("canvas", { id: "chart-latency" }))));
  show(main, ...out);
  drawCharts();
  ready("cluster");
}

const palette = [["#1f5fa8", "#e07b00"], ["#2b9348", "#b3261e"], ["#7b3fa0", "#00838f"], ["#6d4c41", "#c2185b"]];

async function pollStats() {
  try {
    const v = await api("stats");
    const t = v.time;
    samples.times.push(t);
    for (const b of v.brokers) {
      const s = samples.series[b.broker] || (samples.series[b.broker] = { put: [], get: [], rtt: [], wait: [] });
      const prev = lastTotals[b.broker];
      let put = b.putTps, get = b.getTps;
      if (prev && t > prev.t) { // the rate since the last sample
        put = Math.max(0, (b.putTotal - prev.put) * 1000 / (t - prev.t));
        get = Math.max(0, (b.getTotal - prev.get) * 1000 / (t - prev.t));
      }
      lastTotals[b.broker] = { t, put: b.putTotal, get: b.getTotal };
      for (const [attr, v] of [["data-put", b.putTotal], ["data-get", b.getTotal]]) { // the cluster table's totals
        const cell = document.querySelector(`td[${attr}="${CSS.escape(b.broker)}"]`);
        if (cell && !b.error) cell.textContent = v;
      }
      s.put.push([t, put]); s.get.push([t, get]); s.rtt.push([t, b.rttMs]); s.wait.push([t, b.sendWaitMs + b.pageCacheLockMs]);
      for (const k of ["put", "get", "rtt", "wait"]) if (s[k].length > maxPoints) s[k].shift();
    }
    if (samples.times.length > maxPoints) samples.times.shift();
    document.getElementById("status").textContent = "updated " + fmtTime(t);
    drawCharts();
  } catch (e) {
    document.getElementById("status").textContent = "stats: " + e.message;
  }
}

function drawCharts() {
  const lines = (pick) => Object.entries(samples.series).flatMap(([name, s], i) => pick(name, s, palette[i % palette.length]));
  drawChart("chart-tps", "legend-tps", lines((name, s, [c1, c2]) => [
    { name: name + " put", color: c1, points: s.put },
    { name: name + " get", color: c2, dash: [5, 4], points: s.get }]));
  drawChart("chart-latency", "legend-latency", lines((name, s, [c1, c2]) => [
    { name: name + " admin RTT", color: c1, points: s.rtt },
    { name: name + " queue+lock wait", color: c2, dash: [5, 4], points: s.wait }]));
}

// drawChart draws line series of [time, value] points on a canvas.
function drawChart(id, legendId, series) {
  const c = document.getElementById(id);
  if (!c) return;
  const w = c.clientWidth || 460, h = c.clientHeight || 220, dpr = window.devicePixelRatio || 1;
  c.width = w * dpr; c.height = h * dpr;
  const g = c.getContext("2d");
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const all = series.flatMap((s) => s.points);
  c.dataset.points = String(all.length);
  const left = 50, right = 10, top = 10, bottom = 22;
  let tMin = Infinity, tMax = -Infinity, vMax = 0;
  for (const [t, v] of all) { tMin = Math.min(tMin, t); tMax = Math.max(tMax, t); vMax = Math.max(vMax, v); }
  if (!all.length) { tMin = Date.now() - 60000; tMax = Date.now(); }
  if (tMax - tMin < 10000) tMin = tMax - 10000;
  vMax = niceMax(vMax);
  const x = (t) => left + (t - tMin) / (tMax - tMin) * (w - left - right);
  const y = (v) => top + (1 - v / vMax) * (h - top - bottom);
  g.strokeStyle = "#e3e7ec"; g.fillStyle = "#667"; g.font = "11px system-ui"; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = vMax * i / 4, yy = y(v);
    g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
    g.fillText(v >= 100 ? v.toFixed(0) : v.toFixed(1), 4, yy + 4);
  }
  g.fillText(new Date(tMin).toLocaleTimeString(), left, h - 6);
  const endLabel = new Date(tMax).toLocaleTimeString();
  g.fillText(endLabel, w - right - g.measureText(endLabel).width, h - 6);
  for (const s of series) {
    if (!s.points.length) continue;
    g.strokeStyle = s.color; g.lineWidth = 2; g.setLineDash(s.dash || []);
    g.beginPath();
    s.points.forEach(([t, v], i) => (i ? g.lineTo(x(t), y(v)) : g.moveTo(x(t), y(v))));
    g.stroke();
  }
  g.setLineDash([]);
  const legend = document.getElementById(legendId);
  if (legend) show(legend, ...series.map((s) => el("span", {}, el("i", { style: "background:" + s.color }), s.name)));
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

// ---- topics ----

async function clusterNames() {
  try { return (await api("cluster")).clusters.map((c) => c.name); } catch (e) { return []; }
}

async function pageTopics() {
  const head = el("h2", {}, "Topics");
  show(main, head, el("p", { class: "muted" }, "Loading…"));
  let topics, clusters;
  try { [topics, clusters] = await Promise.all([api("topics"), clusterNames()]); } catch (e) { show(main, head, errorBox(e)); return; }
  const filter = el("input", { id: "topic-filter", placeholder: "filter", type: "search" });
  const showAll = el("input", { id: "topic-all", type: "checkbox" });
  const body = el("tbody");
  const render = () => {
    const f = filter.value.toLowerCase();
    show(body, ...topics.filter((t) => (showAll.checked || t.kind === "normal" || t.kind === "dlq") && t.topic.toLowerCase().includes(f))
      .map((t) => el("tr", { class: "topic", "data-topic": t.topic },
        el("td", {}, el("a", { href: "#/topic/" + encodeURIComponent(t.topic) }, t.topic), " ", kindTag(t.kind)))));
  };
  filter.addEventListener("input", render);
  showAll.addEventListener("change", render);
  render();
  show(main, head, topicForm(clusters),
    el("section", { class: "card" }, el("form", { class: "inline", onsubmit: (e) => e.preventDefault() },
      el("label", {}, "Filter", filter), el("label", {}, el("span", {}, showAll, " system, retry"))),
    el("table", { id: "topics" }, el("thead", {}, el("tr", {}, el("th", {}, "Topic"))), body)));
  ready("topics");
}

function topicForm(clusters, topic) {
  const name = el("input", { id: "topic-name", required: "", placeholder: "TopicName", value: topic ? topic.topic : null });
  const cluster = el("select", { id: "topic-cluster" }, clusters.map((c) => el("option", { value: c }, c)));
  const read = el("input", { id: "topic-read", type: "number", min: 1, max: 1024, value: topic ? topic.read : 8 });
  const write = el("input", { id: "topic-write", type: "number", min: 1, max: 1024, value: topic ? topic.write : 8 });
  const perm = el("select", { id: "topic-perm" }, el("option", { value: 6 }, "6 read+write"), el("option", { value: 4 }, "4 read"), el("option", { value: 2 }, "2 write"));
  if (topic) perm.value = String(topic.perm);
  const result = el("span", { id: "topic-result" });
  const submit = async (e) => {
    e.preventDefault();
    const f = { topic: name.value.trim(), cluster: cluster.value, readQueueNums: +read.value, writeQueueNums: +write.value, perm: +perm.value };
    if (!f.topic) { result.className = "error"; result.textContent = "a topic name is required"; return; }
    const ok = await confirmAction("Create or update topic",
      `Create or update topic "${f.topic}" on every master of cluster ${f.cluster} with ${f.readQueueNums} read and ${f.writeQueueNums} write queues, perm ${f.perm}?`);
    if (!ok) { result.className = "muted"; result.textContent = "cancelled"; return; }
    try {
      const r = await api("topic", f);
      result.className = "ok"; result.textContent = `topic ${f.topic} updated on ${r.updated.join(", ")}`;
    } catch (err) { result.className = "error"; result.textContent = err.message; }
  };
  return el("section", { class: "card" }, el("h3", {}, topic ? "Update topic" : "Create or update a topic"),
    el("form", { id: "topic-form", class: "inline", onsubmit: submit },
      el("label", {}, "Topic", name), el("label", {}, "Cluster", cluster), el("label", {}, "Read queues", read),
      el("label", {}, "Write queues", write), el("label", {}, "Permission", perm),
      el("button", { id: "topic-submit", type: "submit", class: "primary" }, topic ? "Update…" : "Create / update…"), result));
}

async function pageTopic(topic) {
  const head = el("h2", {}, "Topic ", el("span", { id: "topic-title" }, topic));
  show(main, head, el("p", { class: "muted" }, "Loading…"));
  let v, clusters;
  try { [v, clusters] = await Promise.all([api("topic?topic=" + encodeURIComponent(topic)), clusterNames()]); } catch (e) { show(main, head, errorBox(e)); return; }
  const rd = v.route[0] || {};
  show(main, head,
    el("p", {}, "Brokers: " + v.brokers.join(", ") + " · messages in queues: ", el("b", { id: "topic-messages" }, v.messages)),
    el("p", { id: "topic-route", class: "muted" }, "Route: " + v.route.map((q) =>
      `${q.brokerName} ${q.readQueueNums} read / ${q.writeQueueNums} write queues, perm ${q.perm}`).join("; ")),
    (v.errors || []).map((e) => el("p", { class: "error" }, e)),
    el("section", { class: "card" }, el("h3", {}, "Queues"),
      table("topic-queues", ["Broker", { label: "Queue", num: true }, { label: "Min offset", num: true }, { label: "Max offset", num: true }, { label: "Messages", num: true }, "Last update"],
        v.queues.map((q) => el("tr", { class: "queue" }, el("td", {}, q.brokerName), num(q.queueId), num(q.minOffset), num(q.maxOffset),
          num(q.maxOffset - q.minOffset), el("td", {}, fmtTime(q.lastUpdateTimestamp)))))),
    el("section", { class: "card" }, el("h3", {}, "Consumer groups"),
      v.groups.length ? el("ul", { id: "topic-groups" }, v.groups.map((g) => el("li", {}, el("a", { href: "#/group/" + encodeURIComponent(g) }, g))))
        : el("p", { class: "muted" }, "no group consumes it")),
    newestMessages(topic),
    topicForm(clusters, { topic, read: rd.readQueueNums || 8, write: rd.writeQueueNums || 8, perm: rd.perm || 6 }));
  if (topic.startsWith("%DLQ%")) await loadNewest(topic);
  ready("topic");
}

// newestMessages is the topic page's "newest messages" section.
function newestMessages(topic) {
  return el("section", { class: "card" }, el("h3", {}, "Newest messages"),
    el("button", { id: "newest-load", type: "button", onclick: () => loadNewest(topic) }, "Show the newest messages"),
    el("div", { id: "newest" }));
}

async function loadNewest(topic) {
  const box = document.getElementById("newest");
  show(box, el("p", { class: "muted" }, "Loading…"));
  try {
    const msgs = await api("messages?max=20&topic=" + encodeURIComponent(topic));
    show(box, msgs.length ? table("newest-messages", ["Message id", "Broker", { label: "Queue", num: true }, { label: "Offset", num: true },
      "Tags", "Keys", "Stored", { label: "Reconsumed", num: true }, "Body"],
      msgs.map((m) => el("tr", { class: "newest", "data-msgid": m.msgId },
        el("td", {}, el("a", { href: "#/messages?id=" + encodeURIComponent(m.msgId) + "&topic=" + encodeURIComponent(m.topic) }, m.msgId)),
        el("td", {}, m.brokerName), num(m.queueId), num(m.queueOffset), el("td", {}, m.tags), el("td", {}, m.keys),
        el("td", {}, fmtTime(m.storeTimestamp)), num(m.reconsumeTimes), el("td", { class: "body" }, m.body.slice(0, 80)))))
      : el("p", { class: "muted" }, "No message."));
  } catch (e) { show(box, errorBox(e)); }
}

// ---- groups ----

async function pageGroups() {
  const head = el("h2", {}, "Consumer groups");
  show(main, head, el("p", { class: "muted" }, "Loading…"));
  let groups, clusters;
  try { [groups, clusters] = await Promise.all([api("groups"), clusterNames()]); } catch (e) { show(main, head, errorBox(e)); return; }
  show(main, head, groupForm(clusters),
    el("section", { class: "card" },
      table("groups", ["Group", { label: "Clients", num: true }, "Model", { label: "Consume TPS", num: true }, { label: "Lag", num: true }],
        groups.map((g) => el("tr", { class: "group" + (g.lagTotal > 0 ? " lag" : ""), "data-group": g.group },
          el("td", {}, el("a", { href: "#/group/" + encodeURIComponent(g.group) }, g.group), " ", g.system ? kindTag("system") : null,
            g.clients > 0 ? el("span", { class: "tag online" }, "online") : null),
          num(g.clients), el("td", {}, g.messageModel || ""), num(g.consumeTps.toFixed(1)), num(g.lagTotal, "lag"))))));
  ready("groups");
}

function groupForm(clusters, cfg) {
  const name = el("input", { id: "group-name", placeholder: "GroupName", value: cfg ? cfg.groupName : null });
  const cluster = el("select", { id: "group-cluster" }, clusters.map((c) => el("option", { value: c }, c)));
  const enable = el("input", { id: "group-enable", type: "checkbox" });
  const broadcast = el("input", { id: "group-broadcast", type: "checkbox" });
  const retry = el("input", { id: "group-retry", type: "number", min: -1, max: 64, value: cfg ? cfg.retryMaxTimes : 16 });
  enable.checked = cfg ? cfg.consumeEnable : true;
  broadcast.checked = cfg ? cfg.consumeBroadcastEnable : true;
  const result = el("span", { id: "group-result" });
  const submit = async (e) => {
    e.preventDefault();
    const f = { group: name.value.trim(), cluster: cluster.value, consumeEnable: enable.checked, consumeBroadcastEnable: broadcast.checked, retryMaxTimes: +retry.value };
    if (!f.group) { result.className = "error"; result.textContent = "a group name is required"; return; }
    const ok = await confirmAction("Create or update consumer group",
      `Create or update group "${f.group}" on every master of cluster ${f.cluster} (consume ${f.consumeEnable ? "enabled" : "disabled"}, broadcast ${f.consumeBroadcastEnable ? "allowed" : "not allowed"}, up to ${f.retryMaxTimes} retries)?`);
    if (!ok) { result.className = "muted"; result.textContent = "cancelled"; return; }
    try {
      const r = await api("group", f);
      result.className = "ok"; result.textContent = `group ${f.group} updated on ${r.updated.join(", ")}`;
    } catch (err) { result.className = "error"; result.textContent = err.message; }
  };
  return el("section", { class: "card" }, el("h3", {}, cfg ? "Update group" : "Create or update a group"),
    el("form", { id: "group-form", class: "inline", onsubmit: submit },
      el("label", {}, "Group", name), el("label", {}, "Cluster", cluster),
      el("label", {}, "Consume enabled", enable), el("label", {}, "Broadcast", broadcast), el("label", {}, "Max retries", retry),
      el("button", { id: "group-submit", type: "submit", class: "primary" }, cfg ? "Update…" : "Create / update…"), result));
}

async function pageGroup(group) {
  const head = el("h2", {}, "Consumer group ", el("span", { id: "group-title" }, group));
  show(main, head, el("p", { class: "muted" }, "Loading…"));
  let v, clusters;
  try { [v, clusters] = await Promise.all([api("group?group=" + encodeURIComponent(group)), clusterNames()]); } catch (e) { show(main, head, errorBox(e)); return; }
  const cc = v.connection;
  show(main, head,
    el("p", {}, "Total lag: ", el("b", { id: "group-lag" }, v.lagTotal), " · consume TPS: " + v.consumeTps.toFixed(1)),
    el("section", { class: "card" }, el("h3", {}, "Lag per queue"),
      table("group-queues", ["Topic", "Broker", { label: "Queue", num: true }, { label: "Broker offset", num: true }, { label: "Consumer offset", num: true },
        { label: "Lag", num: true }, { label: "In flight", num: true }, "Last consumed", "Client"],
        v.queues.map((q) => el("tr", { class: "queue" + (q.lag > 0 ? " lag" : "") }, el("td", {}, q.topic), el("td", {}, q.brokerName), num(q.queueId),
          num(q.brokerOffset), num(q.consumerOffset), num(q.lag, "lag"), num(q.inflight), el("td", {}, fmtTime(q.lastTimestamp)),
          el("td", { class: "client" }, q.client || "-"))))),
    el("section", { class: "card" }, el("h3", {}, "Connected clients"),
      cc ? [el("p", {}, `${cc.consumeType || ""} ${cc.messageModel || ""} · from ${cc.consumeFromWhere || "-"}`),
        table("group-clients", ["Client id", "Address", "Language", { label: "Version", num: true }],
          cc.connectionSet.map((c) => el("tr", { class: "client" }, el("td", {}, c.clientId), el("td", {}, c.clientAddr), el("td", {}, c.language), num(c.version)))),
        el("h3", {}, "Subscriptions"),
        el("ul", { id: "group-subs" }, Object.values(cc.subscriptionTable || {}).map((s) => el("li", {}, s.topic + " : " + s.subString))),
      ] : el("p", { class: "muted", id: "group-offline" }, "no client connected")),
    (v.errors || []).length ? el("details", {}, el("summary", {}, "broker errors"), v.errors.map((e) => el("p", { class: "error" }, e))) : null,
    groupForm(clusters, v.config || { groupName: group, consumeEnable: true, consumeBroadcastEnable: true, retryMaxTimes: 16 }));
  ready("group");
}

// ---- messages and dead letters ----

function pageMessages(params) {
  const topic = el("input", { id: "msg-topic", placeholder: "topic", value: params.get("topic") });
  const id = el("input", { id: "msg-id", placeholder: "message id", size: 36, value: params.get("id") });
  const key = el("input", { id: "msg-key", placeholder: "key", value: params.get("key") });
  const results = el("div", { id: "msg-results" });
  const search = async (by) => {
    const q = new URLSearchParams();
    if (topic.value.trim()) q.set("topic", topic.value.trim());
    q.set(by, (by === "id" ? id : key).value.trim());
    show(results, el("p", { class: "muted" }, "Searching…"));
    delete document.body.dataset.ready;
    try {
      const msgs = await api("message?" + q);
      show(results, msgs.length ? msgs.map(messageCard) : el("p", { id: "msg-none" }, "No message found."));
    } catch (e) { show(results, errorBox(e)); }
    ready("messages-result");
  };
  show(main, el("h2", {}, "Message lookup"),
    el("section", { class: "card" }, el("form", { class: "inline", onsubmit: (e) => e.preventDefault() },
      el("label", {}, "Topic", topic), el("label", {}, "Message id", id),
      el("button", { id: "msg-by-id", type: "button", onclick: () => search("id") }, "Find by id"),
      el("label", {}, "Key", key),
      el("button", { id: "msg-by-key", type: "button", onclick: () => search("key") }, "Find by key"))),
    results);
  if (params.get("id")) return search("id");
  if (params.get("key")) return search("key");
  ready("messages");
}

function messageCard(m) {
  const rows = [["Message id", m.msgId], ["Offset id", m.offsetMsgId], ["Topic", m.topic], ["Broker", m.brokerName || "-"],
    ["Queue", m.queueId], ["Queue offset", m.queueOffset], ["Tags", m.tags || "-"], ["Keys", m.keys || "-"],
    ["Born", fmtTime(m.bornTimestamp) + " from " + m.bornHost], ["Stored", fmtTime(m.storeTimestamp) + " on " + m.storeHost],
    ["Reconsume times", m.reconsumeTimes], ["Body size", m.bodyBytes + " bytes"]];
  return el("section", { class: "card message", "data-msgid": m.msgId },
    el("table", {}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))))),
    el("h3", {}, "Body"), el("pre", { class: "body" }, m.body),
    el("details", {}, el("summary", {}, "Properties"), el("pre", { class: "body" }, Object.entries(m.properties || {}).map(([k, v]) => k + "=" + v).join("\n"))));
}

async function pageDLQ() {
  const head = el("h2", {}, "Dead-letter queues");
  show(main, head, el("p", { class: "muted" }, "Loading…"));
  let rows;
  try { rows = await api("dlq"); } catch (e) { show(main, head, errorBox(e)); return; }
  show(main, head,
    el("p", { class: "muted" }, "Messages a group failed to consume after its retries (%DLQ%group). Open one to see its newest messages."),
    el("section", { class: "card" }, rows.length ?
      table("dlq", ["Topic", "Group", { label: "Queues", num: true }, { label: "Messages", num: true }],
        rows.map((r) => el("tr", { class: "dlq", "data-topic": r.topic },
          el("td", {}, el("a", { href: "#/topic/" + encodeURIComponent(r.topic) }, r.topic), " ",
            el("a", { class: "browse", href: "#/topic/" + encodeURIComponent(r.topic) }, "(newest messages)")),
          el("td", {}, el("a", { href: "#/group/" + encodeURIComponent(r.group) }, r.group)),
          r.error ? el("td", { class: "error", colspan: 2 }, r.error) : [num(r.queues), num(r.messages)])))
      : el("p", { id: "dlq-none" }, "No dead-letter queue.")));
  ready("dlq");
}

// ---- routing ----

function route() {
  delete document.body.dataset.ready;
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query] = hash.split("?");
  const [page, ...rest] = path.split("/");
  const arg = decodeURIComponent(rest.join("/"));
  for (const a of document.querySelectorAll("#nav a")) {
    const p = a.dataset.page;
    a.classList.toggle("active", p === page || (p === "topics" && page === "topic") || (p === "groups" && page === "group"));
  }
  switch (page) {
    case "topics": return pageTopics();
    case "topic": return pageTopic(arg);
    case "groups": return pageGroups();
    case "group": return pageGroup(arg);
    case "messages": return pageMessages(new URLSearchParams(query || ""));
    case "dlq": return pageDLQ();
    default: return pageCluster();
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("resize", drawCharts);
route();
pollStats();
setInterval(pollStats, 1000);
