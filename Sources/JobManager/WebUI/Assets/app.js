'use strict';
// Sluice web UI: a small single-page app over the JobManager's REST API. No framework; every
// panel has one render function; API strings only ever reach the page through textContent.
(function () {
  const TOKEN_KEY = 'sluice.rest-token';
  const TOKEN_HINT = 'enter the REST token (the file named by rest.token-file, e.g. .cluster/rest-token)';
  const SPEC_HINT = [
    '# A job spec in YAML, e.g. the contents of jobs/checkout-attribution.yaml',
    'name: my-job',
    'parallelism: 2',
    'sources:',
    '  - id: clicks',
    '    kind: kafka-source',
    '    params: {topic: clicks, format: click}',
    'sinks:',
    '  - id: sink',
    '    kind: blackhole-sink',
    '    inputs: [clicks]',
    ''
  ].join('\n');

  const app = {
    refreshMs: 3000,
    tokenRequired: false,
    generation: 0,
    timer: null,
    lastUpdate: 0,
    samples: {}
  };

  // ---------------------------------------------------------------- formatting

  function scaled(value, units) {
    let index = 0;
    let v = value;
    while (Math.abs(v) >= 1000 && index < units.length - 1) { v /= 1000; index += 1; }
    const digits = index === 0 ? (Math.abs(v) < 10 && v !== Math.round(v) ? 1 : 0) : (Math.abs(v) < 100 ? 1 : 0);
    return v.toFixed(digits) + units[index];
  }

  function fmtCount(n) {
    if (n === null || n === undefined || isNaN(n)) { return '–'; }
    return scaled(Number(n), ['', 'k', 'M', 'G', 'T']);
  }

  function fmtRate(perSecond) {
    if (perSecond === null || perSecond === undefined || isNaN(perSecond)) { return '–'; }
    return scaled(Math.max(0, perSecond), ['', 'k', 'M', 'G']) + '/s';
  }

  function fmtBytes(bytes) {
    if (bytes === null || bytes === undefined || isNaN(bytes)) { return '–'; }
    const b = Number(bytes);
    if (b < 1000) { return b.toFixed(0) + ' B'; }
    return scaled(b, ['', ' kB', ' MB', ' GB', ' TB']);
  }

  function fmtDuration(ms) {
    if (ms === null || ms === undefined || isNaN(ms) || ms < 0) { return '–'; }
    if (ms < 1000) { return Math.round(ms) + ' ms'; }
    const s = ms / 1000;
    if (s < 60) { return s.toFixed(1) + ' s'; }
    const m = Math.floor(s / 60);
    if (m < 60) { return m + 'm ' + String(Math.floor(s % 60)).padStart(2, '0') + 's'; }
    const h = Math.floor(m / 60);
    if (h < 48) { return h + 'h ' + String(m % 60).padStart(2, '0') + 'm'; }
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  function fmtPercent(ratio) {
    if (ratio === null || ratio === undefined || isNaN(ratio)) { return '–'; }
    return (ratio * 100).toFixed(ratio < 0.1 ? 1 : 0) + ' %';
  }

  function fmtTime(epochMs) {
    if (!epochMs || epochMs < 0) { return '–'; }
    const d = new Date(epochMs);
    const pad = (n) => String(n).padStart(2, '0');
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function fmtDateTime(epochMs) {
    if (!epochMs || epochMs < 0) { return '–'; }
    const d = new Date(epochMs);
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0') + ' ' + fmtTime(epochMs);
  }

  function backPressureLevel(ratio) {
    if (ratio === null || ratio === undefined) { return 'ok'; }
    return ratio < 0.1 ? 'ok' : (ratio < 0.5 ? 'low' : 'high');
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    const a = attrs || {};
    Object.keys(a).forEach((key) => {
      if (key === 'text') { node.textContent = a[key]; }
      else if (key === 'class') { node.className = a[key]; }
      else if (key === 'onclick') { node.addEventListener('click', a[key]); }
      else if (a[key] !== undefined && a[key] !== null) { node.setAttribute(key, a[key]); }
    });
    (children || []).forEach((child) => {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attrs, children) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    const a = attrs || {};
    Object.keys(a).forEach((key) => {
      if (key === 'text') { node.textContent = a[key]; } else { node.setAttribute(key, a[key]); }
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function replace(node, children) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    children.forEach((child) => node.appendChild(child));
  }

  function byId(id) { return document.getElementById(id); }

  /// A table: columns [{title, cls, width}], rows of cells (string or node).
  function table(columns, rows, emptyText) {
    const colgroup = el('colgroup', {}, columns.map((c) => el('col', c.width ? { style: 'width:' + c.width } : {})));
    const head = el('thead', {}, [el('tr', {}, columns.map((c) => el('th', { class: c.cls || '', text: c.title })))]);
    const body = el('tbody');
    if (rows.length === 0) {
      body.appendChild(el('tr', {}, [el('td', { class: 'empty', colspan: String(columns.length), text: emptyText || 'none' })]));
    }
    rows.forEach((cells) => {
      body.appendChild(el('tr', {}, cells.map((cell, i) => {
        const td = el('td', { class: columns[i].cls || '' });
        if (typeof cell === 'string') { td.textContent = cell; td.title = cell; } else { td.appendChild(cell); }
        return td;
      })));
    });
    return el('table', {}, [colgroup, head, body]);
  }

  function stat(label, value, sub, id) {
    return el('div', { class: 'stat' }, [
      el('div', { class: 'stat-label', text: label }),
      el('div', { class: 'stat-value', id: id, text: value }),
      el('div', { class: 'stat-sub', text: sub || '\u00a0' })
    ]);
  }

  function badge(state) { return el('span', { class: 'badge ' + state, text: state }); }

  // ---------------------------------------------------------------- banner and API

  function showBanner(message, kind) {
    const banner = byId('banner');
    banner.className = 'banner' + (kind ? ' ' + kind : '');
    banner.textContent = message;
    banner.hidden = false;
  }

  function hideBanner() { byId('banner').hidden = true; }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

  async function api(path, options) {
    const opts = options || {};
    const headers = opts.headers || {};
    if (opts.method && opts.method !== 'GET' && token()) { headers.Authorization = 'Bearer ' + token(); }
    let response;
    try {
      response = await fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body, cache: 'no-store' });
    } catch (error) {
      throw new ApiError(0, 'cannot reach the JobManager (' + error.message + '); is it running?');
    }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (error) { body = null; }
    if (!response.ok) {
      const reason = body && body.errors ? body.errors.join('; ') : (text || response.statusText);
      if (response.status === 401) { throw new ApiError(401, 'Not allowed: ' + TOKEN_HINT + '. ' + reason); }
      throw new ApiError(response.status, 'HTTP ' + response.status + ' for ' + path + ': ' + reason);
    }
    return body;
  }

  // ---------------------------------------------------------------- live rates

  /// Remembers counter values by key and returns their rate per second over the last few
  /// polls (heartbeats update counters once a second, so one poll interval may show no change).
  function rate(key, value, at) {
    const list = app.samples[key] || [];
    if (list.length === 0 || list[list.length - 1].at !== at) { list.push({ at: at, value: value }); }
    while (list.length > 2 && at - list[0].at > 6000) { list.shift(); }
    app.samples[key] = list;
    if (list.length < 2) { return null; }
    const first = list[0];
    const last = list[list.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.value - first.value) / seconds) : null;
  }

  // ---------------------------------------------------------------- pages

  function renderOverviewCards(overview) {
    replace(byId('overview-cards'), [
      stat('TaskManagers', String(overview.taskmanagers), 'registered', 'tm-count'),
      stat('Task slots', overview['slots-available'] + ' / ' + overview['slots-total'], 'available / total'),
      stat('Jobs running', String(overview['jobs-running']), 'finished ' + overview['jobs-finished'], 'jobs-running'),
      stat('Jobs failed', String(overview['jobs-failed']), 'cancelled ' + overview['jobs-cancelled']),
      stat('Version', overview['flink-version'], 'sluice')
    ]);
  }

  function renderJobsTable(jobs) {
    const sorted = jobs.slice().sort((a, b) => b['start-time'] - a['start-time']);
    const rows = sorted.map((job) => [
      el('a', { href: '#/jobs/' + job.jid, text: job.name, title: job.jid, class: 'job-link' }),
      badge(job.state),
      fmtDateTime(job['start-time']),
      fmtDuration(job.duration),
      (job.tasks.running || 0) + ' / ' + (job.tasks.total || 0),
      job.jid
    ]);
    replace(byId('jobs-table'), [table([
      { title: 'Name', width: '24%' }, { title: 'State', width: '12%' }, { title: 'Started', width: '17%' },
      { title: 'Duration', cls: 'num', width: '11%' }, { title: 'Tasks running', cls: 'num', width: '11%' }, { title: 'Job id', width: '25%' }
    ], rows, 'no jobs yet: submit one from the Submit job page or with sluice submit')]);
  }

  const overviewPage = {
    build: () => [
      el('div', { id: 'overview-cards', class: 'stats' }),
      el('section', { class: 'card' }, [el('h2', { text: 'Jobs' }), el('div', { id: 'jobs-table' })])
    ],
    refresh: async () => {
      const [overview, jobs] = await Promise.all([api('/overview'), api('/jobs/overview')]);
      renderOverviewCards(overview);
      renderJobsTable(jobs.jobs);
    }
  };

  function renderTaskManagers(list) {
    const rows = list.map((tm) => {
      const cpu = rate('cpu/' + tm.id, tm.cpuSeconds, tm.timeSinceLastHeartbeat);
      const recordsRate = rate('tm-records/' + tm.id, tm.recordsIn, tm.timeSinceLastHeartbeat);
      const metrics = tm.metricsPort > 0
        ? el('a', { href: 'http://' + tm.host + ':' + tm.metricsPort + '/metrics', target: '_blank', rel: 'noopener', text: ':' + tm.metricsPort + '/metrics' })
        : el('span', { class: 'empty', text: 'none' });
      return [tm.id, tm.host + ':' + tm.dataPort, String(tm.slotsNumber), String(tm.freeSlots), fmtDuration(tm.heartbeatAgeMs),
        fmtBytes(tm.rssBytes), fmtPercent(cpu), fmtCount(tm.recordsIn),
        fmtRate(recordsRate), fmtCount(tm.recordsOut), metrics];
    });
    replace(byId('tm-table'), [table([
      { title: 'Id', width: '20%' }, { title: 'Data address', width: '12%' }, { title: 'Slots', cls: 'num', width: '5%' },
      { title: 'Free', cls: 'num', width: '5%' }, { title: 'Heartbeat', cls: 'num', width: '8%' }, { title: 'RSS', cls: 'num', width: '8%' },
      { title: 'CPU', cls: 'num', width: '6%' }, { title: 'Records in', cls: 'num', width: '8%' }, { title: 'In rate', cls: 'num rate', width: '7%' },
      { title: 'Records out', cls: 'num', width: '9%' }, { title: 'Metrics', width: '12%' }
    ], rows, 'no TaskManager registered: start one with taskmanager join')]);
  }

  const taskManagersPage = {
    build: () => [el('section', { class: 'card' }, [
      el('h2', { text: 'TaskManagers' }),
      el('p', { class: 'section-note', text: 'Heartbeat = age of the last heartbeat; CPU = share of one core since the previous poll; Metrics = the TaskManager\u2019s Prometheus endpoint.' }),
      el('div', { id: 'tm-table' })
    ])],
    refresh: async () => {
      const reply = await api('/taskmanagers');
      renderTaskManagers(reply.taskmanagers);
    }
  };

  // ---------------------------------------------------------------- job page

  function layers(nodes) {
    const byNodeId = {};
    nodes.forEach((n) => { byNodeId[n.id] = n; });
    const depth = {};
    const visit = (node, seen) => {
      if (depth[node.id] !== undefined) { return depth[node.id]; }
      if (seen[node.id]) { return 0; }
      seen[node.id] = true;
      const inputs = (node.inputs || []).map((i) => byNodeId[i.id]).filter((n) => n);
      const d = inputs.length === 0 ? 0 : 1 + Math.max.apply(null, inputs.map((n) => visit(n, seen)));
      depth[node.id] = d;
      return d;
    };
    nodes.forEach((n) => visit(n, {}));
    const result = [];
    nodes.forEach((n) => { (result[depth[n.id]] = result[depth[n.id]] || []).push(n); });
    return result.filter((layer) => layer);
  }

  function truncate(text, maxChars) {
    return text.length <= maxChars ? text : text.slice(0, Math.max(1, maxChars - 1)) + '\u2026';
  }

  function renderGraph(job, vertexRates) {
    const columns = layers(job.plan.nodes);
    const width = Math.max(600, byId('graph').clientWidth || 1200);
    const gap = 80;
    const nodeWidth = Math.min(300, Math.floor((width - 20 - gap * (columns.length - 1)) / columns.length));
    const nodeHeight = 70;
    const rowGap = 24;
    const tallest = Math.max.apply(null, columns.map((c) => c.length));
    const height = tallest * nodeHeight + (tallest - 1) * rowGap + 20;
    const position = {};
    columns.forEach((column, x) => {
      const offset = (height - (column.length * nodeHeight + (column.length - 1) * rowGap)) / 2;
      column.forEach((node, y) => { position[node.id] = { x: 10 + x * (nodeWidth + gap), y: offset + y * (nodeHeight + rowGap) }; });
    });
    const vertices = {};
    job.vertices.forEach((v) => { vertices[v.id] = v; });
    const edges = [];
    job.plan.nodes.forEach((node) => (node.inputs || []).forEach((input) => {
      const from = position[input.id];
      const to = position[node.id];
      if (!from || !to) { return; }
      const x1 = from.x + nodeWidth; const y1 = from.y + nodeHeight / 2;
      const x2 = to.x; const y2 = to.y + nodeHeight / 2;
      const path = 'M' + x1 + ',' + y1 + ' C' + (x1 + gap / 2) + ',' + y1 + ' ' + (x2 - gap / 2) + ',' + y2 + ' ' + x2 + ',' + y2;
      edges.push(svg('path', { class: 'edge', d: path, 'marker-end': 'url(#arrow)' }, [svg('title', { text: input.ship_strategy })]));
    }));
    const maxChars = Math.floor((nodeWidth - 20) / 7.5);
    const boxes = job.plan.nodes.map((node) => {
      const p = position[node.id];
      const vertex = vertices[node.id] || { metrics: {}, name: node.description };
      const ratio = vertex.metrics['backpressure-ratio'];
      const r = vertexRates[node.id] || {};
      const shown = (node.inputs || []).length === 0 ? r.out : r.in;
      return svg('g', { class: 'node bp-' + backPressureLevel(ratio), 'data-vertex': node.id, transform: 'translate(' + p.x + ',' + p.y + ')' }, [
        svg('title', { text: vertex.name + '\n' + node.operator }),
        svg('rect', { width: nodeWidth, height: nodeHeight, rx: 8, ry: 8 }),
        svg('text', { class: 'node-name', x: 10, y: 20, text: truncate(vertex.name, maxChars) }),
        svg('text', { class: 'node-meta', x: 10, y: 40, text: truncate('parallelism ' + node.parallelism + ' \u00b7 back-pressure ' + fmtPercent(ratio === undefined ? null : ratio), maxChars) }),
        svg('text', { class: 'node-rate', x: 10, y: 60, text: fmtRate(shown === undefined ? null : shown) })
      ]);
    });
    const defs = svg('defs', {}, [svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
      [svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8a98a8' })])]);
    const canvas = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' }, [defs].concat(edges, boxes));
    replace(byId('graph'), [canvas]);
  }

  function renderJobHeader(job) {
    byId('job-name').textContent = job.name;
    replace(byId('job-state'), [badge(job.state)]);
    replace(byId('job-meta'), [
      el('span', { text: 'id ' + job.jid }),
      el('span', { text: 'started ' + fmtDateTime(job['start-time']) }),
      el('span', { text: 'duration ' + fmtDuration(job.duration) }),
      el('span', { text: 'attempt ' + job.attempt }),
      el('span', { text: 'restarts ' + job.numRestarts })
    ]);
    const running = job.state === 'RUNNING' || job.state === 'RESTARTING' || job.state === 'CREATED';
    byId('cancel-button').disabled = !running;
    byId('stop-button').disabled = !job.isStoppable;
    byId('drain-button').disabled = !job.isStoppable;
  }

  function renderVertexTable(job, vertexRates) {
    const rows = job.vertices.map((v) => {
      const r = vertexRates[v.id] || {};
      const ratio = v.metrics['backpressure-ratio'];
      const watermark = v.metrics['current-watermark'];
      const level = backPressureLevel(ratio);
      return [v.name, badge(v.status), String(v.parallelism), fmtCount(v.metrics['read-records']), fmtCount(v.metrics['write-records']),
        fmtRate(r.in === undefined ? null : r.in), fmtRate(r.out === undefined ? null : r.out),
        fmtBytes(v.metrics['read-bytes']), fmtBytes(v.metrics['write-bytes']),
        watermark === undefined ? '–' : fmtDuration(Math.max(0, job.now - watermark)),
        el('span', { class: 'bp-' + level, text: fmtPercent(ratio === undefined ? null : ratio) + ' ' + level })];
    });
    replace(byId('vertex-table'), [table([
      { title: 'Vertex', width: '18%' }, { title: 'Status', width: '9%' }, { title: 'Par.', cls: 'num', width: '5%' },
      { title: 'Records in', cls: 'num', width: '8%' }, { title: 'Records out', cls: 'num', width: '9%' },
      { title: 'In rate', cls: 'num rate', width: '7%' }, { title: 'Out rate', cls: 'num rate', width: '7%' },
      { title: 'Bytes in', cls: 'num', width: '7%' }, { title: 'Bytes out', cls: 'num', width: '8%' },
      { title: 'Watermark lag', cls: 'num', width: '11%' }, { title: 'Back-pressure', cls: 'num', width: '11%' }
    ], rows)]);
  }

  function renderCheckpoints(stats) {
    const counts = stats.counts;
    const latest = stats.latest && stats.latest.completed;
    replace(byId('checkpoint-counts'), [
      stat('Completed', String(counts.completed), latest ? 'latest #' + latest.id + ' at ' + fmtTime(latest.latest_ack_timestamp) : 'none yet'),
      stat('Failed', String(counts.failed), 'in progress ' + counts.in_progress),
      stat('Restored', String(counts.restored), stats.latest && stats.latest.restored ? 'from #' + stats.latest.restored.id : 'not restored'),
      stat('Duration', fmtDuration(stats.summary.end_to_end_duration.avg), 'avg; max ' + fmtDuration(stats.summary.end_to_end_duration.max)),
      stat('Checkpointed size', fmtBytes(stats.summary.checkpointed_size.avg), 'avg per checkpoint')
    ]);
    const rows = stats.history.map((c) => [
      '#' + c.id, badge(c.status), fmtTime(c.trigger_timestamp), fmtDuration(c.end_to_end_duration), fmtBytes(c.state_size),
      fmtBytes(c.checkpointed_size), fmtDuration(c.alignment_duration), c.num_acknowledged_subtasks + ' / ' + c.num_subtasks,
      c.failure_message || c.external_path || ''
    ]);
    replace(byId('checkpoint-table'), [table([
      { title: 'Id', width: '6%' }, { title: 'Status', width: '11%' }, { title: 'Triggered', width: '9%' },
      { title: 'Duration', cls: 'num', width: '8%' }, { title: 'State size', cls: 'num', width: '9%' },
      { title: 'Checkpointed', cls: 'num', width: '10%' }, { title: 'Alignment', cls: 'num', width: '8%' },
      { title: 'Acked', cls: 'num', width: '7%' }, { title: 'Location / failure', width: '32%' }
    ], rows, 'no checkpoint yet (the job checkpoints every checkpoints.interval-ms of its spec)')]);
  }

  function renderExceptions(exceptions, job) {
    const rows = exceptions['all-exceptions'].map((e) => {
      const firstLine = e.exception.split('\n')[0];
      const cause = el('details', {}, [el('summary', { text: firstLine, title: firstLine }), el('pre', { text: e.exception })]);
      return [fmtDateTime(e.timestamp), e.task, e.location, String(e.attempt), cause];
    });
    const note = job['failure-cause'] ? 'Last failure cause: ' + job['failure-cause'] : 'Restarts: ' + job.numRestarts;
    byId('exceptions-note').textContent = note;
    byId('exceptions-note').title = note;
    replace(byId('exceptions-table'), [table([
      { title: 'Time', width: '16%' }, { title: 'Task', width: '16%' }, { title: 'TaskManager', width: '14%' },
      { title: 'Attempt', cls: 'num', width: '7%' }, { title: 'Cause', cls: 'wrap', width: '47%' }
    ], rows, 'no task failed')]);
  }

  // Counters every operator reports (from its kind's declaration) and the newest rows of each
  // sink table that declares a preview; nothing here knows a particular job.
  function renderSinkPreview(preview) {
    const counters = preview.counters.map((c) => [c.operator, c.event, fmtCount(c.value)]);
    replace(byId('counters-table'), [table([
      { title: 'Operator', width: '35%' }, { title: 'Event', width: '35%' }, { title: 'Count', cls: 'num', width: '30%' }
    ], counters, 'no counter reported yet')]);
    const panels = preview.sinks.map((sink) => {
      const width = Math.max(6, Math.floor(100 / Math.max(1, sink.columns.length))) + '%';
      const columns = sink.columns.map((name) => ({ title: name, width: width }));
      const rows = sink.rows.map((row) => row.map((value) => value === null ? 'NULL' : value));
      const title = sink.table + (sink['order-by'] ? ' (newest by ' + sink['order-by'] + ')' : '');
      const parts = [el('h3', { class: 'preview-title', text: title })];
      if (columns.length > 0) parts.push(table(columns, rows, 'no row yet'));
      if (sink.error) parts.push(el('div', { class: 'panel-error', text: sink.error }));
      return el('div', { class: 'sink-preview', 'data-vertex': sink.vertex }, parts);
    });
    replace(byId('sink-preview'), panels.length > 0 ? panels
      : [el('p', { class: 'section-note', text: 'no sink of this job declares a preview' })]);
  }

  function vertexRatesOf(job) {
    const rates = {};
    job.vertices.forEach((v) => {
      rates[v.id] = {
        in: rate(job.jid + '/in/' + v.id, v.metrics['read-records'], job.now),
        out: rate(job.jid + '/out/' + v.id, v.metrics['write-records'], job.now)
      };
    });
    return rates;
  }

  async function jobAction(label, path, method) {
    if (!window.confirm(label + ' this job?')) { return; }
    try {
      const reply = await api(path, { method: method });
      showBanner(label + ' requested' + (reply && reply.location ? ': final checkpoint at ' + reply.location : '.'), 'info');
      schedule(0);
    } catch (error) {
      showBanner(error.message);
    }
  }

  function tokenField() {
    const input = el('input', { type: 'password', placeholder: 'REST token', id: 'token-input', autocomplete: 'off', size: '18' });
    input.value = token();
    input.addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, input.value.trim()));
    return el('label', { title: TOKEN_HINT }, ['Token ', input]);
  }

  const jobPage = {
    build: (jid) => [
      el('section', { class: 'card job-head' }, [
        el('div', {}, [
          el('div', { class: 'form-row' }, [el('h1', { id: 'job-name', text: jid }), el('span', { id: 'job-state' })]),
          el('div', { id: 'job-meta', class: 'job-meta' })
        ]),
        el('div', { class: 'actions' }, (app.tokenRequired ? [tokenField()] : []).concat([
          el('button', { id: 'stop-button', class: 'primary', text: 'Stop with checkpoint', onclick: () => jobAction('Stop', '/jobs/' + jid + '/stop', 'POST') }),
          el('button', {
            id: 'drain-button', class: 'primary', text: 'Drain and stop',
            title: 'The input is over: emit every pending event-time result (final watermark), then stop with a checkpoint',
            onclick: () => jobAction('Drain and stop', '/jobs/' + jid + '/stop?drain=true', 'POST')
          }),
          el('button', { id: 'cancel-button', class: 'danger', text: 'Cancel', onclick: () => jobAction('Cancel', '/jobs/' + jid + '?mode=cancel', 'PATCH') })
        ]))
      ]),
      el('section', { class: 'card' }, [
        el('h2', { text: 'Operator graph' }),
        el('div', { id: 'graph', class: 'graph' }),
        el('div', { class: 'legend' }, [
          el('span', {}, [el('i', { class: 'swatch', style: 'background:#2e9d57' }), 'back-pressure < 10 %']),
          el('span', {}, [el('i', { class: 'swatch', style: 'background:#d99a1c' }), '< 50 %']),
          el('span', {}, [el('i', { class: 'swatch', style: 'background:#d64545' }), '\u2265 50 %']),
          el('span', { text: 'rates: records/s in (sources: out), from consecutive polls' })
        ])
      ]),
      el('section', { class: 'card' }, [el('h2', { text: 'Vertices' }), el('div', { id: 'vertex-table' })]),
      el('section', { class: 'card' }, [el('h2', { text: 'Checkpoints' }), el('div', { id: 'checkpoint-counts', class: 'stats' }),
        el('h2', { text: 'History', style: 'margin-top:14px' }), el('div', { id: 'checkpoint-table' })]),
      el('section', { class: 'card' }, [el('h2', { text: 'Sink preview' }), el('div', { id: 'sink-preview' }),
        el('h2', { text: 'Operator counters', style: 'margin-top:14px' }), el('div', { id: 'counters-table' })]),
      el('section', { class: 'card' }, [el('h2', { text: 'Exceptions and restarts' }), el('p', { id: 'exceptions-note', class: 'section-note' }),
        el('div', { id: 'exceptions-table' })])
    ],
    refresh: async (jid) => {
      const base = '/jobs/' + encodeURIComponent(jid);
      const [job, checkpoints, exceptions, preview] = await Promise.all([
        api(base), api(base + '/checkpoints'), api(base + '/exceptions'), api(base + '/sink-preview')]);
      const vertexRates = vertexRatesOf(job);
      renderJobHeader(job);
      renderGraph(job, vertexRates);
      renderVertexTable(job, vertexRates);
      renderCheckpoints(checkpoints);
      renderSinkPreview(preview);
      renderExceptions(exceptions, job);
    }
  };

  // ---------------------------------------------------------------- submit page

  async function submitSpec() {
    const spec = byId('spec-input').value;
    const parallelism = byId('parallelism-input').value.trim();
    const path = '/jobs' + (parallelism ? '?parallelism=' + encodeURIComponent(parallelism) : '');
    try {
      const reply = await api(path, { method: 'POST', body: spec, headers: { 'Content-Type': 'application/yaml' } });
      location.hash = '#/jobs/' + reply.jobid;
    } catch (error) {
      showBanner(error.message);
    }
  }

  const submitPage = {
    build: () => [el('section', { class: 'card form' }, [
      el('h2', { text: 'Submit a job' }),
      el('p', { class: 'section-note', text: 'Paste a job spec (YAML, see jobs/checkout-attribution.yaml); the JobManager names the offending field of a bad spec.' }),
      el('textarea', { id: 'spec-input', spellcheck: 'false', placeholder: SPEC_HINT }),
      el('div', { class: 'form-row' }, [
        el('label', {}, ['Parallelism ', el('input', { id: 'parallelism-input', type: 'number', min: '1', placeholder: 'from spec', size: '6' })]),
        tokenField(),
        el('button', { class: 'primary', text: 'Submit', onclick: submitSpec })
      ]),
      el('p', { class: 'section-note', text: app.tokenRequired ? 'This JobManager requires a REST token: ' + TOKEN_HINT + '.' : 'This JobManager accepts submissions without a token (rest.token-file is not set).' })
    ])],
    refresh: null
  };

  // ---------------------------------------------------------------- routing and polling

  function parseRoute() {
    const parts = (location.hash || '#/overview').replace(/^#\/?/, '').split('/');
    if (parts[0] === 'jobs' && parts[1]) { return { name: 'job', arg: decodeURIComponent(parts[1]), page: jobPage }; }
    if (parts[0] === 'taskmanagers') { return { name: 'taskmanagers', page: taskManagersPage }; }
    if (parts[0] === 'submit') { return { name: 'submit', page: submitPage }; }
    return { name: 'overview', page: overviewPage };
  }

  function schedule(delay) {
    if (app.timer) { clearTimeout(app.timer); }
    const generation = app.generation;
    app.timer = setTimeout(() => poll(generation), delay);
  }

  async function poll(generation) {
    const route = app.route;
    if (!route.page.refresh || generation !== app.generation) { return; }
    try {
      await route.page.refresh(route.arg);
      if (generation !== app.generation) { return; }
      app.lastUpdate = Date.now();
      if (!byId('banner').classList.contains('info')) { hideBanner(); }
      showUpdated();
    } catch (error) {
      if (generation === app.generation) { showBanner(error.message); }
    }
    if (generation === app.generation) { schedule(app.refreshMs); }
  }

  function showUpdated() {
    const node = byId('updated');
    if (!app.route || !app.route.page.refresh) { node.textContent = ''; return; }
    if (!app.lastUpdate) { node.textContent = 'loading…'; return; }
    node.textContent = 'updated ' + Math.round((Date.now() - app.lastUpdate) / 1000) + 's ago \u00b7 every ' + fmtDuration(app.refreshMs);
  }

  function navigate() {
    app.generation += 1;
    app.route = parseRoute();
    app.lastUpdate = 0;
    hideBanner();
    document.querySelectorAll('.nav a').forEach((a) => a.classList.toggle('active', a.dataset.route === app.route.name));
    replace(byId('main'), app.route.page.build(app.route.arg));
    showUpdated();
    schedule(0);
  }

  async function start() {
    try {
      const config = await api('/config');
      app.refreshMs = Math.max(500, Number(config['refresh-interval']) || 3000);
      app.tokenRequired = config['rest-token-required'] === true;
    } catch (error) {
      showBanner(error.message);
    }
    window.addEventListener('hashchange', navigate);
    setInterval(showUpdated, 1000);
    navigate();
  }

  window.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    showBanner(String(event.reason && event.reason.message ? event.reason.message : event.reason));
  });
  start();
}());
