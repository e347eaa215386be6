// AnalyticsHub dashboard: one page, state in the URL, data from the hub's public HTTP API only, charts drawn as SVG.
'use strict';
(() => {
  const api = document.querySelector('meta[name="analyticshub-api"]').content.replace(/\/$/, '');
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#0b5cad', '#c2410c', '#1b6e31', '#7e22ce', '#a4161a', '#0f766e', '#854d0e', '#be185d', '#374151', '#4338ca'];
  const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };
  const STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  const MODULES = ['llm-observatory', 'llm-sentinel', 'llm-cost-ops', 'llm-governance-dashboard', 'llm-registry', 'llm-policy-engine', 'llm-analytics-hub'];
  const EVENT_TYPES = ['telemetry', 'security', 'cost', 'governance', 'lifecycle', 'audit', 'alert'];
  const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'];
  const KEYS = ['view', 'range', 'from', 'to', 'model', 'tenant', 'refresh', 'dashboard', 'incident', 'tail_module', 'tail_type', 'tail_severity'];
  const REFRESH_CHOICES = [5, 10, 30, 60, 300];
  const MAX_REFRESH = 86400;

  const params = new URLSearchParams(location.search);
  const state = Object.fromEntries(KEYS.map(k => [k, (params.get(k) || '').trim()]));
  state.view = state.view || 'overview';
  /** Whether the address names the time range; a saved dashboard otherwise opens with its own default_time_range. */
  const explicitRange = RANGES[state.range] !== undefined || Boolean(state.from && state.to);
  state.range = RANGES[state.range] ? state.range : '1h';

  const view = document.getElementById('view');
  const status = document.getElementById('status');

  // ---------- small helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }
  function s(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function href(patch) {
    const merged = { ...state, ...patch };
    const q = new URLSearchParams();
    for (const k of KEYS) {
      if (!merged[k] || (k === 'range' && ((merged.from && merged.to) || (!explicitRange && !('range' in patch))))) continue;
      if (k === 'incident' && merged.view !== 'incident') continue;
      if (k === 'dashboard' && merged.view !== 'dashboards') continue;
      if (k.startsWith('tail_') && merged.view !== 'tail') continue;
      q.set(k, merged[k]);
    }
    return '?' + q.toString();
  }
  const num = (v, digits = 2) => v === null || v === undefined || Number.isNaN(v) ? '—'
    : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits });
  const usd = v => v === null || v === undefined ? '—'
    : '$' + Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: Math.abs(v) < 1 ? 4 : 2 });
  const iso = d => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const hhmm = d => iso(d).slice(11, 16);
  const when = t => iso(new Date(t)).replace('T', ' ').replace('Z', ' UTC');
  const pct = v => num(v * 100, 1) + ' %';
  /** A number cell: the shown text, and the exact value in data-value for scripts and tests. */
  const numCell = (value, text, testid) => el('td', { class: 'num', 'data-value': value ?? '', 'data-testid': testid }, text);
  function color(i) { return PALETTE[i % PALETTE.length]; }
  function swatch(c, dash) {
    return s('svg', { class: 'swatch', width: 16, height: 10, viewBox: '0 0 16 10', 'aria-hidden': 'true' },
      dash ? s('line', { x1: 0, y1: 5, x2: 16, y2: 5, stroke: c, 'stroke-width': 2.5, 'stroke-dasharray': dash })
        : s('rect', { width: 16, height: 10, fill: c }));
  }
  function say(message, isError) {
    status.textContent = message || '';
    status.className = isError ? 'error' : '';
  }

  function timeRange() {
    if (state.from && state.to) {
      const from = new Date(state.from), to = new Date(state.to);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || !(from < to)) {
        throw new Error('From and To must be RFC 3339 instants with From before To (e.g. 2026-12-06T02:00:00Z).');
      }
      return { from, to };
    }
    const to = new Date(Math.ceil(Date.now() / 60e3) * 60e3);
    return { from: new Date(to.getTime() - RANGES[state.range]), to };
  }
  /** A bucket width (seconds) that gives at most about 120 points over the range. */
  function bucketSeconds(range) {
    const want = (range.to - range.from) / 1000 / 120;
    return STEPS.find(x => x >= want) || STEPS[STEPS.length - 1];
  }
  const windowOf = seconds => seconds % 3600 === 0 ? (seconds / 3600) + 'h' : (seconds / 60) + 'm';

  async function call(path, body) {
    const init = body === undefined ? { headers: { Accept: 'application/json' } }
      : { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) };
    const response = await fetch(api + path, init);
    let json = null;
    try { json = await response.json(); } catch { /* not JSON: reported below */ }
    if (!response.ok || !json || json.status === 'error') {
      const err = json && json.error;
      const fields = err && err.field_errors ? ' (' + Object.entries(err.field_errors).map(([k, v]) => k + ': ' + [].concat(v).join('; ')).join(', ') + ')' : '';
      throw new Error(`${path.split('?')[0]}: ${response.status} ${err ? err.code + ' — ' + err.message : response.statusText}${fields}`);
    }
    return json;
  }
  const get = path => call(path);
  const post = (path, body) => call(path, body);

  function eventQuery(extra) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(extra)) {
      for (const item of [].concat(v)) if (item !== undefined && item !== null && item !== '') q.append(k, item);
    }
    return q.toString();
  }
  const tenantTag = () => state.tenant ? 'tenant:' + state.tenant : undefined;
  function tagFilters(withModel) {
    const f = {};
    if (withModel && state.model) f.model_id = state.model;
    if (state.tenant) f.tenant = state.tenant;
    return f;
  }
  function filtersNote(applied) {
    const parts = [];
    if (state.model) parts.push(applied.model ? `model ${state.model}` : `model ${state.model} (not applicable here)`);
    if (state.tenant) parts.push(applied.tenant ? `tenant ${state.tenant}` : `tenant ${state.tenant} (not applicable here)`);
    return parts.length ? el('p', { class: 'note', 'data-testid': 'filters-applied' }, 'Filters: ' + parts.join(', ') + '.') : null;
  }

  // ---------- charts ----------
  /**
   * A time chart. series: [{ name, color, dash, points: [{ t: Date, v: number|null }] }].
   * Returns a figure with the SVG (role img, labelled) and a legend.
   */
  function timeChart({ title, series, range, height = 200, width = 1200, testid }) {
    const W = width, H = height, L = 64, R = 12, T = 10, B = 26;
    const values = series.flatMap(x => x.points.map(p => p.v)).filter(v => v !== null && Number.isFinite(v));
    const max = niceMax(values.length ? Math.max(...values) : 1);
    const x = t => L + (t - range.from) / (range.to - range.from) * (W - L - R);
    const y = v => T + (1 - v / max) * (H - T - B);
    const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${series.length} series from ${iso(range.from)} to ${iso(range.to)}`, 'data-testid': testid });
    const axis = s('g', { class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      axis.append(s('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }),
        s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, num(v, v < 10 ? 2 : 0)));
    }
    const ticks = 8;
    for (let i = 0; i <= ticks; i++) {
      const t = new Date(range.from.getTime() + (range.to - range.from) * i / ticks);
      axis.append(s('line', { x1: x(t), x2: x(t), y1: H - B, y2: H - B + 4 }),
        s('text', { x: x(t), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, (range.to - range.from) > 864e5 ? iso(t).slice(5, 16).replace('T', ' ') : hhmm(t)));
    }
    axis.append(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B }));
    svg.append(axis);
    for (const line of series) {
      let d = '';
      let pen = false;
      for (const p of line.points) {
        if (p.v === null || !Number.isFinite(p.v)) { pen = false; continue; }
        d += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1);
        pen = true;
      }
      svg.append(s('path', { d: d || 'M0 0', fill: 'none', stroke: line.color, 'stroke-width': 2, 'stroke-dasharray': line.dash, 'data-series': line.name },
        s('title', {}, line.name)));
    }
    return el('figure', {}, el('figcaption', {}, title), svg, legend(series));
  }
  function legend(series) {
    return el('ul', { class: 'legend' }, series.map(x => el('li', {}, swatch(x.color, x.dash), x.name)));
  }
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 2.5, 5, 10].map(m => m * p).find(m => m >= v);
  }
  /** Horizontal bars: rows [{ label, values: [number] }], one colour per value column. */
  function barChart({ title, rows, columns, format, testid, width = 1200 }) {
    const W = width, rowH = 16 * columns.length + 10, L = 220, R = 110, H = Math.max(40, rows.length * rowH + 10);
    const max = niceMax(Math.max(0, ...rows.flatMap(r => r.values.filter(v => v !== null))));
    const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${rows.length} bars`, 'data-testid': testid });
    rows.forEach((r, i) => {
      const y0 = 6 + i * rowH;
      svg.append(s('text', { x: L - 8, y: y0 + rowH / 2, 'text-anchor': 'end' }, r.label));
      r.values.forEach((v, j) => {
        const w = v ? v / max * (W - L - R) : 0;
        const y = y0 + j * 16;
        svg.append(s('rect', { x: L, y, width: Math.max(w, v ? 1 : 0), height: 13, fill: columns[j].color }, s('title', {}, `${r.label} ${columns[j].name}: ${format(v)}`)),
          s('text', { x: L + w + 6, y: y + 11 }, format(v)));
      });
    });
    return el('figure', {}, el('figcaption', {}, title), svg, legend(columns));
  }

  // ---------- views ----------
  const views = {
    overview: { title: 'Overview', render: renderOverview },
    latency: { title: 'Latency', render: renderLatency },
    cost: { title: 'Cost', render: renderCost },
    budgets: { title: 'Budgets', render: renderBudgets },
    timeline: { title: 'Anomalies & incidents', render: renderTimeline },
    incident: { title: 'Incident', render: renderIncident },
    tail: { title: 'Live tail', render: renderTail, live: true },
    dashboards: { title: 'Saved dashboards', render: renderDashboards, ownRange: true },
  };

  async function renderOverview(range) {
    const bucket = bucketSeconds(range);
    const [rate, stats] = await Promise.all([
      get('/events/rate?' + eventQuery({ from: iso(range.from), to: iso(range.to), bucket_seconds: bucket, tag: tenantTag() })),
      get('/stats'),
    ]);
    const r = rate.data, st = stats.data, ing = st.ingestion;
    const modules = [...new Set(r.buckets.flatMap(b => Object.keys(b.by_module)))].sort();
    const totals = Object.fromEntries(modules.map(m => [m, r.buckets.reduce((a, b) => a + (b.by_module[m] || 0), 0)]));
    const perMinute = 60 / bucket;
    const card = (label, value, text, testid, cls) => el('div', { class: 'card' }, el('dt', {}, label), el('dd', { 'data-testid': testid, 'data-value': value, class: cls }, text));
    return [
      filtersNote({ tenant: true }),
      el('dl', { class: 'cards' },
        card('Events in range', r.total, num(r.total, 0), 'events-total'),
        card('Accepted', ing.accepted, num(ing.accepted, 0), 'stat-accepted'),
        card('Stored', ing.stored, num(ing.stored, 0), 'stat-stored'),
        card('Invalid', ing.invalid, num(ing.invalid, 0), 'stat-invalid'),
        card('Dropped', ing.dropped, num(ing.dropped, 0), 'stat-dropped'),
        card('Refused', ing.refused, num(ing.refused, 0), 'stat-refused'),
        card('Queue', ing.queue_depth, `${num(ing.queue_depth, 0)} / ${num(st.queue_capacity, 0)}`, 'stat-queue'),
        card('Health', st.health, st.running ? st.health : 'stopped', 'stat-health', 'health-' + st.health)),
      st.health_description ? el('p', { class: 'note' }, 'Health: ' + st.health_description) : null,
      timeChart({
        title: `Events per minute by module (buckets of ${bucket / 60} min)`, range, testid: 'chart-rate',
        series: modules.map((m, i) => ({ name: m, color: color(i), points: r.buckets.map(b => ({ t: new Date(b.start), v: (b.by_module[m] || 0) * perMinute })) })),
      }),
      el('table', { 'data-testid': 'table-modules' }, el('caption', {}, 'Events in range by module'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'module'), el('th', { scope: 'col', class: 'num' }, 'events'))),
        el('tbody', {}, modules.map(m => el('tr', { 'data-module': m }, el('th', { scope: 'row' }, m), numCell(totals[m], num(totals[m], 0)))))),
    ];
  }

  const PCTS = [{ p: 50, dash: null }, { p: 95, dash: '6 3' }, { p: 99, dash: '2 3' }];
  function latencyQuery(range, window) {
    const aggregation = fn => window ? { function: fn, window, fields: ['latency_ms'] } : { function: fn, fields: ['latency_ms'] };
    return {
      measurement: 'llm_latency', time_range: { start: iso(range.from), end: iso(range.to) }, tag_filters: tagFilters(true),
      aggregations: [aggregation('count'), ...PCTS.map(x => aggregation({ percentile: x.p }))], group_by: ['model_id'],
    };
  }
  async function renderLatency(range) {
    const window = windowOf(bucketSeconds(range));
    const [overTime, whole] = await Promise.all([post('/timeseries/query', latencyQuery(range, window)), post('/timeseries/query', latencyQuery(range, null))]);
    const models = whole.data.series.map(x => x.tags.model_id || '(none)');
    const charts = PCTS.map(({ p }) => timeChart({
      title: `p${p} latency per model (ms, ${window} windows)`, range, height: 170, testid: `chart-p${p}`,
      series: overTime.data.series.map((x, i) => ({
        name: x.tags.model_id || '(none)', color: color(models.indexOf(x.tags.model_id || '(none)') >= 0 ? models.indexOf(x.tags.model_id || '(none)') : i),
        points: x.points.map(pt => ({ t: new Date(pt.timestamp), v: pt[`latency_ms_p${p}`] ?? null })),
      })),
    }));
    return [
      filtersNote({ model: true, tenant: true }),
      el('table', { 'data-testid': 'table-latency' }, el('caption', {}, 'Latency over the whole range (exact percentiles)'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'model'), el('th', { scope: 'col', class: 'num' }, 'requests'),
          PCTS.map(x => el('th', { scope: 'col', class: 'num' }, `p${x.p} (ms)`)))),
        el('tbody', {}, whole.data.series.map(x => {
          const pt = x.points[0] || {};
          return el('tr', { 'data-model': x.tags.model_id || '' }, el('th', { scope: 'row' }, x.tags.model_id || '(none)'),
            numCell(pt.value, num(pt.value, 0), 'count'), PCTS.map(y => numCell(pt[`latency_ms_p${y.p}`], num(pt[`latency_ms_p${y.p}`], 1), `p${y.p}`)));
        }))),
      charts,
    ];
  }

  const COST_SOURCES = [{ module: 'llm-analytics-hub', name: 'priced by the hub' }, { module: 'llm-cost-ops', name: 'reported by CostOps' }];
  function costQuery(range, window) {
    const aggregation = window ? { function: 'sum', window, fields: ['cost_usd'] } : { function: 'sum', fields: ['cost_usd'] };
    return {
      measurement: 'cost_token', time_range: { start: iso(range.from), end: iso(range.to) }, tag_filters: tagFilters(true),
      aggregations: [aggregation], group_by: ['model_id', 'source_module'],
    };
  }
  async function renderCost(range) {
    const window = windowOf(bucketSeconds(range));
    const [whole, overTime] = await Promise.all([post('/timeseries/query', costQuery(range, null)), post('/timeseries/query', costQuery(range, window))]);
    const byModel = new Map();
    for (const x of whole.data.series) {
      const model = x.tags.model_id || '(none)';
      if (!byModel.has(model)) byModel.set(model, {});
      byModel.get(model)[x.tags.source_module] = (x.points[0] || {}).value ?? null;
    }
    const models = [...byModel.keys()].sort((a, b) => (byModel.get(b)['llm-analytics-hub'] ?? byModel.get(b)['llm-cost-ops'] ?? 0) - (byModel.get(a)['llm-analytics-hub'] ?? byModel.get(a)['llm-cost-ops'] ?? 0));
    const columns = COST_SOURCES.map((c, i) => ({ name: c.name, color: color(i) }));
    const hub = overTime.data.series.filter(x => x.tags.source_module === 'llm-analytics-hub');
    return [
      filtersNote({ model: true, tenant: true }),
      el('p', { class: 'note' }, 'Token cost events (measurement cost_token) summed per model: the hub prices each token usage itself; CostOps reports its own bill. The two count the same calls, so they are shown side by side, not added.'),
      barChart({ title: 'Cost per model over the range (USD)', rows: models.map(m => ({ label: m, values: COST_SOURCES.map(c => byModel.get(m)[c.module] ?? null) })), columns, format: usd, testid: 'chart-cost' }),
      el('table', { 'data-testid': 'table-cost' }, el('caption', {}, 'Cost per model (USD)'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'model'), COST_SOURCES.map(c => el('th', { scope: 'col', class: 'num' }, c.name)))),
        el('tbody', {}, models.map(m => el('tr', { 'data-model': m }, el('th', { scope: 'row' }, m),
          COST_SOURCES.map(c => numCell(byModel.get(m)[c.module], usd(byModel.get(m)[c.module]), c.module)))))),
      timeChart({
        title: `Cost priced by the hub per model (USD per ${window})`, range, height: 180, testid: 'chart-cost-time',
        series: hub.map(x => ({ name: x.tags.model_id || '(none)', color: color(Math.max(0, models.indexOf(x.tags.model_id || '(none)'))), points: x.points.map(p => ({ t: new Date(p.timestamp), v: p.value })) })),
      }),
    ];
  }

  async function renderBudgets() {
    const budgets = (await get('/budgets')).data;
    if (!budgets.length) return [el('p', {}, 'No budget is configured (AnalyticsHub:Cost:Budgets), or none has seen a cost yet.')];
    const W = 1200, rowH = 46, L = 240, R = 150, H = budgets.length * rowH + 24;
    const max = Math.max(1.2, ...budgets.map(b => Math.max(b.spend_usd, b.projected_spend_usd || 0) / b.limit_usd));
    const x = share => L + share / max * (W - L - R);
    const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Spend against limit for ${budgets.length} budgets`, 'data-testid': 'chart-budgets' });
    budgets.forEach((b, i) => {
      const y = 10 + i * rowH, share = b.spend_usd / b.limit_usd;
      const fill = share >= 1 ? '#a4161a' : share >= 0.8 ? '#c2410c' : '#1b6e31';
      svg.append(s('text', { x: L - 8, y: y + 16, 'text-anchor': 'end' }, b.budget_name || b.budget_id),
        s('rect', { x: L, y: y + 4, width: x(1) - L, height: 16, fill: '#eef1f4', stroke: '#6b7684' }),
        s('rect', { x: L, y: y + 4, width: Math.max(1, x(share) - L), height: 16, fill }, s('title', {}, `${usd(b.spend_usd)} of ${usd(b.limit_usd)}`)));
      if (b.projected_spend_usd) {
        svg.append(s('rect', { x: L, y: y + 22, width: Math.max(1, x(b.projected_spend_usd / b.limit_usd) - L), height: 6, fill: '#7e22ce' }, s('title', {}, `projected ${usd(b.projected_spend_usd)}`)));
      }
      let labelled = -Infinity;
      for (const t of b.thresholds_crossed) {
        svg.append(s('line', { x1: x(t / 100), x2: x(t / 100), y1: y, y2: y + 30, stroke: '#1b1f24', 'stroke-width': 2 }, s('title', {}, `${t}% crossed`)));
        if (x(t / 100) - labelled >= 34) {
          labelled = x(t / 100);
          svg.append(s('text', { x: labelled, y: y + 40, 'text-anchor': 'middle' }, t + '%'));
        }
      }
      svg.append(s('text', { x: Math.max(x(share), x(1)) + 8, y: y + 16 }, `${num(share * 100, 1)} % of ${usd(b.limit_usd)}`));
    });
    return [
      el('p', { class: 'note' }, 'Each budget\'s latest period. The bar is the spend, the frame the limit, the purple line the forecast for the period, and the marks the thresholds crossed. Model and tenant filters do not apply: each budget has its own scope.'),
      el('figure', {}, el('figcaption', {}, 'Spend against limit'), svg),
      el('table', { 'data-testid': 'table-budgets' }, el('caption', {}, 'Budgets'),
        el('thead', {}, el('tr', {}, ['budget', 'period', 'spend', 'limit', 'used', 'projected', 'thresholds crossed'].map((h, i) => el('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'num' : null }, h)))),
        el('tbody', {}, budgets.map(b => el('tr', { 'data-budget': b.budget_id }, el('th', { scope: 'row' }, b.budget_name || b.budget_id),
          el('td', {}, `${b.period}${b.period_start ? ' from ' + when(b.period_start) : ''}`),
          numCell(b.spend_usd, usd(b.spend_usd), 'spend'), numCell(b.limit_usd, usd(b.limit_usd), 'limit'),
          numCell(b.spend_usd / b.limit_usd * 100, num(b.spend_usd / b.limit_usd * 100, 1) + ' %', 'used'),
          numCell(b.projected_spend_usd, b.projected_spend_usd ? usd(b.projected_spend_usd) + (b.forecast_warned ? ' (over)' : '') : '—', 'projected'),
          el('td', { 'data-testid': 'crossed' }, b.thresholds_crossed.length ? b.thresholds_crossed.map(t => t + '%').join(', ') : 'none'))))),
    ];
  }

  /** The data of a custom event (payload.data.data), or an empty object. */
  const customData = e => (e && e.payload && e.payload.data && e.payload.data.data) || {};

  async function allEvents(filters, cap) {
    const out = [];
    let cursor = null, total = 0;
    do {
      const page = await get('/events?' + eventQuery({ ...filters, per_page: 1000, cursor }));
      out.push(...page.data);
      total = page.pagination.total_items;
      cursor = page.data.length ? page.next_cursor : null;
    } while (cursor && out.length < Math.min(cap, total));
    return { events: out, total };
  }

  async function renderTimeline(range) {
    const [anomalies, incidents] = await Promise.all([
      allEvents({ source_module: 'llm-analytics-hub', payload_type: 'custom', subtype: 'anomaly', tag: ['anomaly_phase:open'].concat(state.model ? ['model_id:' + state.model] : []), from: iso(range.from), to: iso(range.to), order: 'asc' }, 5000),
      get('/correlations?time_window_minutes=44640&min_strength=0'),
    ]);
    const shown = incidents.data.correlations
      .filter(c => new Date(c.time_window.start) < range.to && new Date(c.time_window.end) >= range.from)
      .sort((a, b) => new Date(a.time_window.start) - new Date(b.time_window.start));
    const W = 1200, L = 110, R = 12, laneH = 22, H = 40 + 30 + shown.length * laneH + 26;
    const x = t => L + Math.min(Math.max((new Date(t) - range.from) / (range.to - range.from), 0), 1) * (W - L - R);
    // A group, not an image: its incident bars are links, each named by the text it shows.
    const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `Timeline: ${anomalies.total} anomaly episodes and ${shown.length} incidents`, 'data-testid': 'chart-timeline' });
    svg.append(s('text', { x: 4, y: 30 }, 'anomalies'), s('line', { class: 'grid', x1: L, x2: W - R, y1: 26, y2: 26 }));
    const sevColor = { warning: '#c2410c', error: '#a4161a', critical: '#5b0b0e' };
    for (const a of anomalies.events) {
      const tags = a.tags || {};
      svg.append(s('circle', { cx: x(a.timestamp).toFixed(1), cy: 26, r: 5, fill: sevColor[a.severity] || '#4a5360', 'data-anomaly': a.event_id },
        s('title', {}, `${when(a.timestamp)} ${tags.metric || ''} ${tags.model_id || ''} (${a.severity})`)));
    }
    svg.append(s('text', { x: 4, y: 64 }, 'incidents'));
    shown.forEach((c, i) => {
      const y = 50 + i * laneH, x0 = x(c.time_window.start), x1 = Math.max(x(c.time_window.end), x0 + 4);
      const link = s('a', { href: href({ view: 'incident', incident: c.correlation_id }), 'data-incident': c.correlation_id, 'aria-label': `${c.correlation_type} · ${c.events.length} events: incident of strength ${num(c.strength)} from ${when(c.time_window.start)}` },
        s('rect', { x: x0, y, width: x1 - x0, height: laneH - 6, rx: 3, fill: c.strength >= 0.8 ? '#a4161a' : '#0b5cad' }),
        s('text', { x: x1 + 4 > W - 180 ? x0 - 4 : x1 + 4, y: y + 12, 'text-anchor': x1 + 4 > W - 180 ? 'end' : 'start' }, `${c.correlation_type} · ${c.events.length} events`),
        s('title', {}, `${c.correlation_types.join(', ') || c.correlation_type}: strength ${num(c.strength)}, confidence ${num(c.confidence)}`));
      svg.append(link);
    });
    const ticks = 8, axisY = H - 22;
    for (let i = 0; i <= ticks; i++) {
      const t = new Date(range.from.getTime() + (range.to - range.from) * i / ticks);
      svg.append(s('line', { class: 'grid', x1: x(t), x2: x(t), y1: 16, y2: axisY }), s('text', { x: x(t), y: H - 6, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, hhmm(t)));
    }
    const rows = anomalies.events.slice(-200).reverse();
    return [
      filtersNote({ model: true }),
      el('p', { class: 'note' }, 'Anomaly episodes (their opening) on the top lane; incidents of any strength whose time window meets the range below, strongest in red. Select an incident to see its members and graph.'),
      el('figure', {}, el('figcaption', {}, 'Anomalies and incidents'), svg),
      el('div', { class: 'two' },
        el('table', { 'data-testid': 'table-incidents' }, el('caption', {}, `Incidents (${shown.length})`),
          el('thead', {}, el('tr', {}, ['incident', 'start', 'events', 'strength', 'confidence'].map((h, i) => el('th', { scope: 'col', class: i >= 2 ? 'num' : null }, h)))),
          el('tbody', {}, shown.map(c => el('tr', { 'data-incident': c.correlation_id },
            el('th', { scope: 'row' }, el('a', { href: href({ view: 'incident', incident: c.correlation_id }) }, (c.correlation_types.length ? c.correlation_types : [c.correlation_type]).join(', '))),
            el('td', {}, when(c.time_window.start)), numCell(c.events.length, num(c.events.length, 0), 'members'),
            numCell(c.strength, num(c.strength), 'strength'), numCell(c.confidence, num(c.confidence), 'confidence'))))),
        el('table', { 'data-testid': 'table-anomalies' }, el('caption', { 'data-testid': 'anomaly-count', 'data-value': anomalies.total }, `Anomaly episodes (${num(anomalies.total, 0)}${rows.length < anomalies.total ? ', newest ' + rows.length + ' listed' : ''})`),
          el('thead', {}, el('tr', {}, ['opened', 'metric', 'module', 'model', 'severity'].map(h => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rows.map(a => el('tr', {}, el('td', {}, when(a.timestamp)), el('td', {}, (a.tags || {}).metric || ''),
            el('td', {}, customData(a).source_module || ''), el('td', {}, (a.tags || {}).model_id || ''), el('td', { class: 'sev-' + a.severity }, a.severity)))))),
    ];
  }

  async function renderIncident() {
    if (!/^[0-9a-f-]{36}$/i.test(state.incident)) throw new Error('No incident is selected: open one from the timeline.');
    const [incident, eventGraph, analysis] = await Promise.all([
      get('/correlations/' + state.incident),
      get('/correlations/' + state.incident + '/graph'),
      get('/events?' + eventQuery({ payload_type: 'custom', subtype: 'anomaly_correlation', correlation_id: state.incident, order: 'desc', per_page: 1 })),
    ]);
    const c = incident.data;
    const members = [...c.events].sort((a, b) => new Date(a.timestamp) - new Date(b.timestamp) || a.event_id.localeCompare(b.event_id));
    const modules = [...new Set(members.map(m => m.source_module))].sort((a, b) => MODULES.indexOf(a) - MODULES.indexOf(b));
    const roles = ['root_cause', 'contributor', 'effect', 'related'];
    const byModule = modules.map(m => ({ module: m, counts: roles.map(r => members.filter(e => e.source_module === m && e.role === r).length) }));
    const deep = analysis.data.length ? customData(analysis.data[0]) : null;
    const roots = members.filter(m => m.role === 'root_cause');
    return [
      el('p', {}, el('a', { href: href({ view: 'timeline' }) }, '← back to the timeline')),
      el('dl', { class: 'cards', 'data-testid': 'incident-facts' },
        ...[['Types', (c.correlation_types.length ? c.correlation_types : [c.correlation_type]).join(', '), null, 'incident-types'],
          ['Strength', num(c.strength), c.strength, 'incident-strength'], ['Confidence', num(c.confidence), c.confidence, 'incident-confidence'],
          ['Members', num(members.length, 0), members.length, 'incident-members'], ['From', when(c.time_window.start), null, 'incident-start'],
          ['To', when(c.time_window.end), null, 'incident-end']]
          .map(([k, text, value, testid]) => el('div', { class: 'card' }, el('dt', {}, k), el('dd', { 'data-testid': testid, 'data-value': value, class: value === null ? 'small' : null }, text)))),
      el('h2', {}, 'Root cause'),
      rootCause(deep, roots, c),
      el('h2', {}, 'Event graph'),
      graph(members, modules, eventGraph.data),
      el('div', { class: 'two' },
        el('table', { 'data-testid': 'table-by-module' }, el('caption', {}, 'Members by module and role'),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'module'), roles.map(r => el('th', { scope: 'col', class: 'num' }, r.replace('_', ' '))), el('th', { scope: 'col', class: 'num' }, 'total'))),
          el('tbody', {}, byModule.map(m => el('tr', { 'data-module': m.module }, el('th', { scope: 'row' }, m.module),
            m.counts.map((n, i) => numCell(n, num(n, 0), roles[i])), numCell(m.counts.reduce((a, b) => a + b, 0), num(m.counts.reduce((a, b) => a + b, 0), 0), 'total'))))),
        el('table', {}, el('caption', {}, 'Metadata'), el('tbody', {}, Object.entries(c.metadata || {}).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)))))),
      el('table', { 'data-testid': 'table-members' }, el('caption', {}, 'Members in time order'),
        el('thead', {}, el('tr', {}, ['time', 'module', 'type', 'severity', 'role', 'summary'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, members.map(m => el('tr', { 'data-event': m.event_id }, el('td', {}, when(m.timestamp)), el('td', {}, m.source_module), el('td', {}, m.event_type),
          el('td', { class: 'sev-' + m.severity }, m.severity), el('td', {}, m.role.replace('_', ' ')), el('td', {}, m.summary))))),
    ];
  }
  function rootCause(deep, roots, c) {
    if (deep && deep.root_cause) {
      const rc = deep.root_cause, impact = deep.impact || {};
      return el('div', { 'data-testid': 'root-cause' },
        el('p', {}, `Root event ${rc.root_event_id || '(external)'} with confidence `, el('strong', { 'data-testid': 'root-confidence', 'data-value': rc.confidence }, num(rc.confidence))),
        (rc.candidates || []).length ? el('table', {}, el('caption', {}, 'Candidates'), el('tbody', {}, rc.candidates.map(k => el('tr', {},
          el('td', {}, k.kind === 'event' ? k.event_id : `${k.provider || ''} ${k.region || ''}`), numCell(k.confidence, num(k.confidence)), el('td', {}, [].concat(k.evidence || []).join('; ')))))) : null,
        el('p', { 'data-testid': 'impact' }, `Impact: ${impact.severity || 'not assessed'}${(impact.affected_modules || []).length ? ' on ' + impact.affected_modules.join(', ') : ''}.`));
    }
    if (roots.length) {
      return el('div', { 'data-testid': 'root-cause' },
        el('p', {}, `The engine names ${roots.length === 1 ? 'this member' : 'these members'} as the root (incident confidence `, el('strong', { 'data-testid': 'root-confidence', 'data-value': c.confidence }, num(c.confidence)), '):'),
        el('ul', {}, roots.map(r => el('li', {}, `${when(r.timestamp)} ${r.source_module}: ${r.summary}`))),
        el('p', { class: 'note', 'data-testid': 'impact' }, 'No root-cause analysis or impact assessment has been stored for this incident.'));
    }
    return el('p', { 'data-testid': 'root-cause' }, 'No root cause: no member is marked as the cause (the right answer for a proportional surge).');
  }
  /**
   * The incident's event graph as the API gives it (GET /correlations/{id}/graph): one lane per module, members placed
   * by time, an arrow per edge (the engine's causal links), labelled with its relationship.
   */
  function graph(members, modules, eventGraph) {
    const W = 1200, L = 190, R = 20, laneH = 44, H = modules.length * laneH + 40;
    const t0 = new Date(members[0].timestamp).getTime(), t1 = Math.max(new Date(members[members.length - 1].timestamp).getTime(), t0 + 60e3);
    const x = t => L + (new Date(t).getTime() - t0) / (t1 - t0) * (W - L - R);
    const stack = new Map();
    const pos = members.map(m => {
      const lane = modules.indexOf(m.source_module), px = Math.round(x(m.timestamp) / 6) * 6, key = lane + ':' + px;
      const k = stack.get(key) || 0;
      stack.set(key, k + 1);
      return { m, x: x(m.timestamp), y: 24 + lane * laneH + (k % 3) * 9 - 9 };
    });
    const byId = new Map(pos.map(p => [p.m.event_id, p]));
    const edges = eventGraph.edges.filter(e => byId.has(e.from_node) && byId.has(e.to_node))
      .map(e => [byId.get(e.from_node), byId.get(e.to_node), e.relationship_type]);
    const roleColor = { root_cause: '#a4161a', contributor: '#c2410c', effect: '#0b5cad', related: '#4a5360' };
    const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-testid': 'incident-graph', 'data-nodes': pos.length, 'data-edges': edges.length,
      'aria-label': `Event graph: ${pos.length} members in ${modules.length} modules, ${edges.length} edges` },
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, s('path', { d: 'M0 0L10 5L0 10z', fill: '#6b7684' }))));
    modules.forEach((m, i) => svg.append(s('text', { x: L - 10, y: 28 + i * laneH, 'text-anchor': 'end' }, m), s('line', { class: 'grid', x1: L, x2: W - R, y1: 24 + i * laneH, y2: 24 + i * laneH })));
    for (const [a, b, kind] of edges) {
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      svg.append(s('line', { x1: a.x, y1: a.y, x2: b.x - dx / len * 6, y2: b.y - dy / len * 6, stroke: '#6b7684', 'stroke-width': 1, 'marker-end': 'url(#arrow)', 'data-edge': kind, opacity: 0.7 }));
    }
    for (const p of pos) {
      svg.append(s('circle', { cx: p.x.toFixed(1), cy: p.y, r: p.m.role === 'root_cause' ? 7 : 5, fill: roleColor[p.m.role] || '#4a5360', stroke: '#fff', 'data-node': p.m.event_id },
        s('title', {}, `${when(p.m.timestamp)} ${p.m.source_module} ${p.m.role}: ${p.m.summary}`)));
    }
    svg.append(s('text', { x: L, y: H - 6 }, hhmm(new Date(t0))), s('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, hhmm(new Date(t1))));
    return el('figure', {}, el('figcaption', {}, `Members by module over time; arrows are the engine's causal links (${eventGraph.metadata.connected_components} connected component${eventGraph.metadata.connected_components === 1 ? '' : 's'}, density ${num(eventGraph.metadata.density)})`), svg,
      legend(Object.entries(roleColor).map(([r, c]) => ({ name: r.replace('_', ' '), color: c }))));
  }

  async function renderTail() {
    const selectOf = (name, label, values) => el('label', {}, label, el('select', { name },
      el('option', { value: '' }, 'any'), values.map(v => el('option', { value: v, selected: state[name] === v }, v))));
    const form = el('form', { class: 'tail-filters', method: 'get', 'aria-label': 'Live tail filters' },
      KEYS.filter(k => !k.startsWith('tail_') && k !== 'incident' && state[k]).map(k => el('input', { type: 'hidden', name: k, value: state[k] })),
      selectOf('tail_module', 'Module', MODULES), selectOf('tail_type', 'Event type', EVENT_TYPES), selectOf('tail_severity', 'At least', SEVERITIES),
      el('button', { type: 'submit' }, 'Follow'));
    const pause = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
    const count = el('span', { 'data-testid': 'tail-count', 'data-value': 0 }, '0 events');
    const state_ = el('span', { 'data-testid': 'tail-state' }, 'connecting');
    const body = el('tbody', {});
    const q = eventQuery({ source_module: state.tail_module, event_type: state.tail_type, min_severity: state.tail_severity, tag: tenantTag() });
    const source = new EventSource(api + '/stream' + (q ? '?' + q : ''));
    let received = 0, paused = false;
    pause.addEventListener('click', () => { paused = !paused; pause.textContent = paused ? 'Resume' : 'Pause'; pause.setAttribute('aria-pressed', String(paused)); });
    source.addEventListener('open', () => { state_.textContent = 'live'; });
    source.addEventListener('heartbeat', () => { state_.textContent = 'live'; });
    source.addEventListener('error', e => {
      if (e.data) { state_.textContent = 'gap: ' + (JSON.parse(e.data).error || {}).message; return; }
      state_.textContent = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    });
    source.addEventListener('complete', () => { state_.textContent = 'ended by the server'; source.close(); });
    source.addEventListener('data', e => {
      const frame = JSON.parse(e.data), evt = frame.data || {};
      received++;
      count.textContent = received + (received === 1 ? ' event' : ' events');
      count.setAttribute('data-value', received);
      if (paused) return;
      const payload = evt.payload || {}, inner = payload.data || {};
      const subtype = inner.custom_type || Object.entries(inner).find(([k]) => k.endsWith('_type'))?.[1];
      body.prepend(el('tr', { 'data-event': evt.event_id }, el('td', {}, when(evt.timestamp)), el('td', {}, evt.source_module), el('td', {}, evt.event_type),
        el('td', { class: 'sev-' + evt.severity }, evt.severity), el('td', {}, [payload.payload_type, subtype].filter(Boolean).join(' / ')),
        el('td', {}, (evt.tags || {}).tenant || ''), el('td', {}, frame.sequence)));
      while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
    });
    window.addEventListener('pagehide', () => source.close());
    return [
      form,
      el('p', {}, 'Status: ', state_, ' · received ', count, ' ', pause),
      el('p', { class: 'note' }, 'Events stored from now on that match the filters (and the tenant filter), newest first; the last 200 are kept.'),
      el('table', { class: 'tail-table', 'data-testid': 'table-tail' }, el('caption', {}, 'Live events'),
        el('thead', {}, el('tr', {}, ['time', 'module', 'type', 'severity', 'payload', 'tenant', 'sequence'].map(h => el('th', { scope: 'col' }, h)))), body),
    ];
  }

  // ---------- saved dashboards ----------
  /** Every saved dashboard (GET /dashboards, paged by cursor). */
  async function allDashboards() {
    const out = [];
    let cursor = null;
    do {
      const page = await get('/dashboards?' + eventQuery({ limit: 1000, cursor }));
      out.push(...page.data.dashboards);
      cursor = page.data.next_cursor || null;
    } while (cursor);
    return out;
  }
  /** A default_time_range such as last_24h, 15m or last_7_days in milliseconds, or null when it is not one. */
  function defaultRange(text) {
    const m = /^(?:last[_ -]?)?(\d+)[_ -]?(m|min|mins|minutes?|h|hours?|d|days?)$/i.exec((text || '').trim());
    if (!m) return null;
    const unit = m[2][0].toLowerCase();
    const ms = Number(m[1]) * (unit === 'm' ? 60e3 : unit === 'h' ? 3600e3 : 864e5);
    return ms > 0 && ms <= 90 * 864e5 ? ms : null;
  }
  const widgetKind = w => typeof w.widget_type === 'string' ? w.widget_type : 'custom';
  const widgetKindName = w => typeof w.widget_type === 'string' ? w.widget_type.replace('_', ' ') : `custom (${w.widget_type.custom})`;

  async function renderDashboards(pageRange) {
    const list = (await allDashboards()).sort((a, b) => a.name.localeCompare(b.name) || a.dashboard_id.localeCompare(b.dashboard_id));
    const chooser = el('form', { class: 'tail-filters', method: 'get', 'aria-label': 'Choose a saved dashboard' },
      KEYS.filter(k => state[k] && ['range', 'from', 'to', 'model', 'tenant', 'refresh'].includes(k) && !(k === 'range' && !explicitRange)).map(k => el('input', { type: 'hidden', name: k, value: state[k] })),
      el('input', { type: 'hidden', name: 'view', value: 'dashboards' }),
      el('label', {}, 'Dashboard', el('select', { name: 'dashboard', 'data-testid': 'dashboard-choice' },
        el('option', { value: '' }, 'the list'),
        list.map(d => el('option', { value: d.dashboard_id, selected: d.dashboard_id === state.dashboard }, d.name)))),
      el('button', { type: 'submit' }, 'Open'));
    if (!state.dashboard) {
      return [
        chooser,
        list.length ? null : el('p', {}, 'No dashboard is saved. A host saves them through the metadata registry (MetadataRegistry.Dashboards).'),
        list.length ? el('table', { 'data-testid': 'table-dashboards' }, el('caption', {}, `Saved dashboards (${list.length})`),
          el('thead', {}, el('tr', {}, ['dashboard', 'description', 'widgets', 'refresh', 'default range', 'owner'].map((h, i) => el('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null }, h)))),
          el('tbody', {}, list.map(d => el('tr', { 'data-dashboard': d.dashboard_id },
            el('th', { scope: 'row' }, el('a', { href: href({ view: 'dashboards', dashboard: d.dashboard_id }) }, d.name)),
            el('td', {}, d.description || ''), numCell(d.widgets.length, num(d.widgets.length, 0), 'widgets'),
            numCell(d.refresh_interval, d.refresh_interval + ' s', 'refresh'), el('td', {}, d.default_time_range), el('td', {}, (d.owner || {}).user_id || ''))))) : null,
      ];
    }
    const d = (await get('/dashboards/' + encodeURIComponent(state.dashboard))).data;
    if (!state.refresh) refresh.setDefault(d.refresh_interval);
    const own = defaultRange(d.default_time_range);
    const range = explicitRange || !own ? pageRange : (() => { const to = new Date(Math.ceil(Date.now() / 60e3) * 60e3); return { from: new Date(to.getTime() - own), to }; })();
    const grid = el('div', { class: 'widgets widgets-' + d.layout.layout_type, 'data-testid': 'dashboard-widgets', 'data-dashboard': d.dashboard_id });
    if (d.layout.layout_type !== 'flex') {
      grid.style.gridTemplateColumns = `repeat(${d.layout.columns}, minmax(0, 1fr))`;
      grid.style.gridAutoRows = `minmax(${d.layout.row_height}px, auto)`;
    }
    const ordered = [...d.widgets].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
    const rendered = await Promise.all(ordered.map((w, i) => renderWidget(w, i, d, range)));
    rendered.forEach(node => grid.append(node));
    document.title = `${d.name} · ${views.dashboards.title} · ${baseTitle}`;
    return [
      chooser,
      el('h3', { 'data-testid': 'dashboard-name' }, d.name),
      d.description ? el('p', {}, d.description) : null,
      el('p', { class: 'note', 'data-testid': 'range' }, `${when(range.from)} to ${when(range.to)}`,
        explicitRange ? ' (the range of the address)' : own ? ` (the dashboard's default, ${d.default_time_range})` : ` (the dashboard's default_time_range '${d.default_time_range}' is not a duration such as last_24h: the last hour is shown)`),
      grid,
    ];
  }

  /** One widget: its title, its data through the public API, a chart by its type and the table of the same numbers. */
  async function renderWidget(w, index, dashboard, range) {
    const id = `widget-${index}`;
    const box = el('section', { class: 'widget', 'aria-labelledby': id + '-title', 'data-widget': w.widget_id, 'data-widget-type': widgetKind(w) });
    if (dashboard.layout.layout_type === 'flex') {
      box.style.flexBasis = `calc(${(w.position.width / dashboard.layout.columns * 100).toFixed(3)}% - 1rem)`;
    } else {
      box.style.gridColumn = `${w.position.x + 1} / span ${w.position.width}`;
      box.style.gridRow = `${w.position.y + 1} / span ${w.position.height}`;
    }
    box.append(el('h4', { id: id + '-title' }, w.title));
    try {
      const data = await widgetData(w, range);
      if (data.note) box.append(el('p', { class: 'note', 'data-testid': 'widget-filters' }, data.note));
      box.append(...widgetView(w, data, range, id).filter(Boolean));
    } catch (e) {
      box.append(el('p', { class: 'widget-error', 'data-testid': 'widget-error' }, e.message));
    }
    return box;
  }

  /**
   * A widget's data as series [{ name, points: [{ t, fields: { name: number } }] }] and rows for its table. The saved
   * query is run as saved, with the page's time range (and model and tenant filters where the source has them).
   */
  async function widgetData(w, range) {
    const source = w.data_source;
    if (source.source_type === 'logs' || source.source_type === 'custom') {
      throw new Error(`A ${source.source_type} source is not the hub's: its query (${source.query}) has no API to run it.`);
    }
    let query;
    try { query = JSON.parse(source.query); } catch { throw new Error('The saved query is not JSON.'); }
    const applied = [];
    if (source.source_type === 'events') {
      const filters = {
        from: iso(range.from), to: iso(range.to), source_module: query.source_modules, event_type: query.event_types, min_severity: query.min_severity,
        environment: query.environment, correlation_id: query.correlation_id, payload_type: query.payload_type, subtype: query.subtype,
        tag: Object.entries(query.tags || {}).map(([k, v]) => k + ':' + v).concat(state.tenant && !(query.tags || {}).tenant ? ['tenant:' + state.tenant] : []),
      };
      if (state.tenant) applied.push(`tenant ${state.tenant}`);
      const kind = widgetKind(w);
      if (kind === 'line_chart' || kind === 'bar_chart' || kind === 'pie_chart' || kind === 'heatmap') {
        const bucket = bucketSeconds(range);
        const rate = (await get('/events/rate?' + eventQuery({ ...filters, bucket_seconds: bucket }))).data;
        const modules = [...new Set(rate.buckets.flatMap(b => Object.keys(b.by_module)))].sort();
        return {
          note: filterText(applied, ['model']), total: rate.total, unit: `events per ${bucket / 60} min`,
          series: modules.map(m => ({ name: m, points: rate.buckets.map(b => ({ t: new Date(b.start), fields: { events: b.by_module[m] || 0 } })) })),
        };
      }
      const page = await get('/events?' + eventQuery({ ...filters, order: query.order || 'desc', per_page: Math.min(query.per_page || 50, 50) }));
      return { note: filterText(applied, ['model']), total: page.pagination.total_items, events: page.data };
    }
    if (query.metric_name) {
      const answer = (await post('/metrics/query', { ...query, time_range: { start: iso(range.from), end: iso(range.to) } })).data;
      const groups = new Map();
      for (const v of answer.values) {
        const name = Object.entries(v.tags || {}).map(([k, x]) => `${k}=${x}`).join(', ') || answer.metric;
        if (!groups.has(name)) groups.set(name, []);
        groups.get(name).push({ t: new Date(v.timestamp), fields: numericFields(v) });
      }
      return { note: filterText(applied, ['model', 'tenant']), series: [...groups].map(([name, points]) => ({ name, points })) };
    }
    const tags = { ...(query.tag_filters || {}) };
    if (state.model) { tags.model_id = state.model; applied.push(`model ${state.model}`); }
    if (state.tenant) { tags.tenant = state.tenant; applied.push(`tenant ${state.tenant}`); }
    const answer = (await post('/timeseries/query', { ...query, time_range: { start: iso(range.from), end: iso(range.to) }, tag_filters: tags })).data;
    return {
      note: filterText(applied, []),
      series: answer.series.map(x => ({
        name: Object.entries(x.tags || {}).map(([k, v]) => `${k}=${v}`).join(', ') || query.measurement,
        points: x.points.map(p => ({ t: new Date(p.timestamp), fields: numericFields(p) })),
      })),
    };
  }
  const numericFields = o => Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'timestamp' && typeof v === 'number'));
  function filterText(applied, notApplicable) {
    const skipped = notApplicable.filter(k => state[k]).map(k => `${k} ${state[k]} (not applicable here)`);
    return applied.length || skipped.length ? 'Filters: ' + applied.concat(skipped).join(', ') + '.' : null;
  }

  function widgetView(w, data, range, id) {
    const kind = widgetKind(w);
    if (data.events) {
      if (kind === 'stat' || kind === 'gauge') return [statValue(w, data.total, 'matching events')];
      return [eventTable(w, data)];
    }
    const fields = [...new Set(data.series.flatMap(x => x.points.flatMap(p => Object.keys(p.fields))))];
    const last = x => x.points.length ? x.points[x.points.length - 1] : null;
    const table = seriesTable(w, data, fields);
    const legendShown = w.visualization.show_legend;
    if (kind === 'stat' || kind === 'gauge') {
      const first = data.series[0], field = fields.includes('value') ? 'value' : fields[0];
      const value = data.total ?? (first && last(first) ? last(first).fields[field] : null);
      return [statValue(w, value, data.total !== undefined ? data.unit : `${field || 'value'}${first ? ' of ' + first.name : ''}, latest`), table];
    }
    if (kind === 'line_chart') {
      const lines = data.series.flatMap(x => fields.filter(f => x.points.some(p => p.fields[f] !== undefined))
        .map(f => ({ name: fields.length > 1 ? `${x.name} ${f}` : x.name, points: x.points.map(p => ({ t: p.t, v: p.fields[f] ?? null })) })));
      lines.forEach((x, i) => { x.color = color(i); });
      const fig = timeChart({ title: w.title + (data.unit ? ` (${data.unit})` : ''), series: lines, range, height: 220, width: 700, testid: id + '-chart' });
      return [widgetFigure(fig, data.unit, legendShown), table];
    }
    const totals = data.series.map(x => ({ label: x.name, value: aggregateOf(x, fields[0], data.total !== undefined) }));
    if (kind === 'pie_chart') return [pieChart(w, totals, id, legendShown), table];
    if (kind === 'bar_chart') {
      const fig = barChart({ title: w.title, rows: totals.map(t => ({ label: t.label, values: [t.value] })), columns: [{ name: fields[0] || 'value', color: color(0) }], format: v => num(v), testid: id + '-chart', width: 700 });
      return [widgetFigure(fig, data.total !== undefined ? 'events in the range' : fields[0], legendShown), table];
    }
    return [el('p', { class: 'note' }, `A ${widgetKindName(w)} widget is shown as its table of numbers.`), table];
  }
  /** A chart in a widget: the widget's heading names it, so the caption says only the unit; the legend as saved. */
  function widgetFigure(fig, unit, legendShown) {
    const caption = fig.querySelector('figcaption');
    if (unit) caption.textContent = unit; else caption.remove();
    if (!legendShown) fig.querySelector('ul.legend').remove();
    return fig;
  }
  /** A series' value for a bar or slice: the sum over time of a count (events), else the latest point. */
  function aggregateOf(x, field, sum) {
    if (sum) return x.points.reduce((a, p) => a + (p.fields[field] || 0), 0);
    const p = x.points[x.points.length - 1];
    return p ? p.fields[field] ?? null : null;
  }
  function statValue(w, value, what) {
    const axes = w.visualization.axes, max = axes && axes.y_axis && axes.y_axis.max;
    const min = (axes && axes.y_axis && axes.y_axis.min) || 0;
    return el('div', { class: 'stat' },
      el('p', { class: 'stat-value', 'data-testid': 'widget-value', 'data-value': value ?? '' }, num(value)),
      el('p', { class: 'note' }, what),
      widgetKind(w) === 'gauge' && max > min && value !== null ? el('meter', { min, max, value, 'aria-label': `${w.title}: ${num(value)} of ${num(max)}` }) : null);
  }
  function seriesTable(w, data, fields) {
    const rows = data.series.flatMap(x => x.points.map(p => ({ name: x.name, p })));
    return el('table', { class: 'widget-table', 'data-testid': 'widget-table' }, el('caption', {}, `${w.title}: the numbers`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'series'), el('th', { scope: 'col' }, 'time'), fields.map(f => el('th', { scope: 'col', class: 'num' }, f)))),
      el('tbody', {}, rows.map(r => el('tr', { 'data-series': r.name, 'data-time': iso(r.p.t) }, el('th', { scope: 'row' }, r.name), el('td', {}, when(r.p.t)),
        fields.map(f => numCell(r.p.fields[f], num(r.p.fields[f]), f))))));
  }
  function eventTable(w, data) {
    return el('table', { class: 'widget-table', 'data-testid': 'widget-table', 'data-total': data.total }, el('caption', {}, `${w.title}: ${num(data.total, 0)} events, newest ${data.events.length} listed`),
      el('thead', {}, el('tr', {}, ['time', 'module', 'type', 'severity'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, data.events.map(e => el('tr', { 'data-event': e.event_id }, el('td', {}, when(e.timestamp)), el('td', {}, e.source_module), el('td', {}, e.event_type),
        el('td', { class: 'sev-' + e.severity }, e.severity)))));
  }
  function pieChart(w, slices, id, legendShown) {
    const R = 90, C = 100, total = slices.reduce((a, x) => a + (x.value > 0 ? x.value : 0), 0);
    const svg = s('svg', { class: 'chart pie', viewBox: '0 0 200 200', role: 'img', 'data-testid': id + '-chart', 'aria-label': `${w.title}: ${slices.length} slices` });
    let angle = -Math.PI / 2;
    slices.forEach((x, i) => {
      if (!(x.value > 0)) return;
      const share = x.value / total, a1 = angle + share * 2 * Math.PI;
      const path = share >= 0.9999 ? `M${C} ${C - R}A${R} ${R} 0 1 1 ${C - 0.01} ${C - R}Z`
        : `M${C} ${C}L${C + R * Math.cos(angle)} ${C + R * Math.sin(angle)}A${R} ${R} 0 ${share > 0.5 ? 1 : 0} 1 ${C + R * Math.cos(a1)} ${C + R * Math.sin(a1)}Z`;
      svg.append(s('path', { d: path, fill: color(i), stroke: '#fff', 'data-slice': x.label }, s('title', {}, `${x.label}: ${num(x.value)} (${pct(share)})`)));
      angle = a1;
    });
    return el('figure', { class: 'pie-figure' }, svg, legendShown ? legend(slices.map((x, i) => ({ name: `${x.label}: ${num(x.value)}`, color: color(i) }))) : null);
  }

  // ---------- auto-refresh ----------
  /**
   * Re-renders the view every `refresh` seconds: one refresh at a time (the next is scheduled when the last has
   * finished), none while the tab is hidden (one runs on return when it is due), none on the live tail (it is live).
   */
  const refresh = (() => {
    let timer = null, due = 0, running = false, started = 0, done = 0, seconds = 0, lastAt = null;
    const control = () => document.getElementById('refresh-state');
    function show(text) {
      document.body.setAttribute('data-refresh-started', started);
      document.body.setAttribute('data-refreshes', done);
      document.body.setAttribute('data-refresh-running', String(running));
      if (control()) control().textContent = text;
    }
    function describe() {
      if (!seconds) return lastAt ? `Updated ${hhmmss(lastAt)} UTC; auto-refresh off.` : 'Auto-refresh off.';
      if (document.visibilityState === 'hidden') return 'Auto-refresh paused while the tab is hidden.';
      return `${lastAt ? 'Updated ' + hhmmss(lastAt) + ' UTC; ' : ''}next in ${seconds} s.`;
    }
    function schedule() {
      clearTimeout(timer);
      timer = null;
      if (!seconds || running || document.visibilityState === 'hidden') { show(describe()); return; }
      timer = setTimeout(tick, Math.max(0, due - Date.now()));
      show(describe());
    }
    async function tick() {
      timer = null;
      if (running || document.visibilityState === 'hidden') return;
      running = true;
      started++;
      show('Refreshing…');
      try {
        await render();
        lastAt = new Date();
      } catch (e) {
        say('The refresh failed (the view shows the last answer): ' + e.message, true);
      } finally {
        running = false;
        done++;
        due = Date.now() + seconds * 1000;
        schedule();
      }
    }
    return {
      get seconds() { return seconds; },
      start(value) {
        seconds = value;
        lastAt = new Date();
        due = Date.now() + seconds * 1000;
        schedule();
      },
      setDefault(value) {
        if (seconds || !value) return;
        seconds = Math.min(MAX_REFRESH, value);
        syncControl();
      },
      set(value) {
        seconds = value;
        due = Date.now() + seconds * 1000;
        schedule();
      },
      visibility() {
        if (document.visibilityState === 'hidden') { clearTimeout(timer); timer = null; show(describe()); } else schedule();
      },
    };
  })();
  const hhmmss = d => iso(d).slice(11, 19);
  function parseRefresh(text) {
    if (!text || text === 'off') return 0;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= MAX_REFRESH)) throw new Error(`refresh is a whole number of seconds from 1 to ${MAX_REFRESH}, or off; it is '${text}'.`);
    return n;
  }
  function syncControl() {
    const select = document.getElementById('filters').elements.refresh;
    const value = String(refresh.seconds || '');
    if (value && ![...select.options].some(o => o.value === value)) select.append(el('option', { value }, `every ${value} s`));
    select.value = value;
  }

  // ---------- page ----------
  const current = views[state.view] ? state.view : 'overview';
  const baseTitle = document.title;
  /** Renders the current view into a fresh list of nodes, then swaps it in, keeping the keyboard focus in place. */
  async function render() {
    const range = timeRange();
    const parts = [el('h2', {}, views[current].title)];
    if (current !== 'budgets' && current !== 'tail' && current !== 'incident' && !views[current].ownRange) {
      parts.push(el('p', { class: 'note', 'data-testid': 'range' }, `${when(range.from)} to ${when(range.to)}`));
    }
    parts.push(...[].concat(await views[current].render(range)).flat().filter(Boolean));
    const focusables = 'a[href], button, input, select, [tabindex]';
    const active = view.contains(document.activeElement) ? [...view.querySelectorAll(focusables)].indexOf(document.activeElement) : -1;
    view.replaceChildren(...parts);
    if (active >= 0) {
      const again = view.querySelectorAll(focusables)[active];
      if (again) again.focus();
    }
    say('');
    document.body.setAttribute('data-ready', 'true');
  }

  async function main() {
    const form = document.getElementById('filters');
    for (const k of ['range', 'from', 'to', 'model', 'tenant']) form.elements[k].value = state[k] || (k === 'range' ? '1h' : '');
    form.elements.view.value = current === 'incident' ? 'timeline' : current;
    if (current === 'dashboards' && state.dashboard) form.append(el('input', { type: 'hidden', name: 'dashboard', value: state.dashboard }));
    for (const a of document.querySelectorAll('nav a')) {
      a.setAttribute('href', href({ view: a.dataset.view, dashboard: '' }));
      if (a.dataset.view === current || (current === 'incident' && a.dataset.view === 'timeline')) a.setAttribute('aria-current', 'page');
    }
    document.title = `${views[current].title} · ${baseTitle}`;
    document.body.setAttribute('data-view', current);
    const select = form.elements.refresh;
    let seconds = 0, refreshError = null;
    try {
      seconds = parseRefresh(state.refresh);
    } catch (e) {
      refreshError = e.message;
    }
    if (views[current].live) {
      select.disabled = true;
      select.setAttribute('aria-describedby', 'refresh-state');
    } else {
      select.addEventListener('change', () => {
        // "off" is written out where leaving the parameter out would mean the saved dashboard's own interval.
        state.refresh = select.value || (current === 'dashboards' && state.dashboard ? 'off' : '');
        history.replaceState(null, '', href({}));
        refresh.set(parseRefresh(select.value));
      });
      document.addEventListener('visibilitychange', () => refresh.visibility());
    }
    refresh.setDefault(seconds);
    syncControl();
    try {
      await render();
      if (refreshError) say(refreshError, true);
    } catch (e) {
      view.replaceChildren(el('h2', {}, views[current].title));
      say(e.message, true);
      document.body.setAttribute('data-ready', 'error');
    }
    if (views[current].live) {
      document.getElementById('refresh-state').textContent = 'The live tail updates by itself.';
    } else {
      refresh.start(refresh.seconds);
    }
  }
  main();
})();
