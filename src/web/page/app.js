// The search page: state lives in the URL (?q=...&province=...), every view is drawn from
// the JSON API, and report text only ever enters the page as text nodes (never as HTML).
'use strict';

const KINDS = {
  preamble: '序言', duties: '职责', achievements: '成效',
  problems: '问题', plans: '计划', other: '其他',
};
const UNKNOWN = '(unknown)';
const HITS_PER_PAGE = 10;
const MENTIONS_PER_PAGE = 50;
/// Characters shown on each side of a mention in the mentions list.
const MENTION_CONTEXT = 30;
const FILTER_KEYS = ['province', 'city', 'county', 'year', 'section'];
const STATE_KEYS = ['view', 'q', 'loose', 'from', 'by', ...FILTER_KEYS, 'page', 'path', 'paragraph'];
const GROUP_NAMES = { county: '县区', city: '城市', province: '省份', year: '年份', section: '栏目' };

const $ = (id) => document.getElementById(id);

// ---- state and URL ----------------------------------------------------------------

function readState() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const key of STATE_KEYS) {
    const value = params.get(key);
    if (value) state[key] = value;
  }
  return state;
}

function stateUrl(state) {
  const params = new URLSearchParams();
  for (const key of STATE_KEYS) {
    if (state[key]) params.set(key, state[key]);
  }
  const query = params.toString();
  return query ? '/?' + query : '/';
}

/// Moves to `state`: a new history entry, so that the back button returns here.
function go(state) {
  history.pushState(null, '', stateUrl(state));
  render(state);
}

function apiUrl(endpoint, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, value);
  }
  return endpoint + '?' + query.toString();
}

function filtersOf(state) {
  const filters = {};
  for (const key of FILTER_KEYS) if (state[key]) filters[key] = state[key];
  return filters;
}

// ---- building elements --------------------------------------------------------------

/// An element with attributes and children; strings become text nodes.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child);
  }
  return node;
}

/// Maps UTF-8 byte offsets of `text` (as the API gives ranges) to string indices (UTF-16
/// code units, as JavaScript counts). Offsets inside a character map to undefined.
function byteOffsets(text) {
  const index = new Map();
  let byte = 0;
  let unit = 0;
  for (const ch of text) {
    index.set(byte, unit);
    const code = ch.codePointAt(0);
    byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    unit += ch.length;
  }
  index.set(byte, unit);
  return (offset) => index.get(offset);
}

/// `ranges` (UTF-8 byte ranges) converted to sorted string-index ranges.
function charRanges(text, ranges) {
  const at = byteOffsets(text);
  const result = [];
  for (const [start, end] of ranges || []) {
    const from = at(start);
    const to = at(end);
    if (from === undefined || to === undefined || to <= from) continue;
    result.push([from, to]);
  }
  return result.sort((a, b) => a[0] - b[0]);
}

/// `text` as nodes, with each of `ranges` (string indices) in a <mark>.
function markedIndices(text, ranges) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const [from, to] of ranges) {
    if (from < last) continue;
    if (from > last) fragment.append(text.slice(last, from));
    fragment.append(el('mark', {}, text.slice(from, to)));
    last = to;
  }
  fragment.append(text.slice(last));
  return fragment;
}

/// `text` as nodes, with the UTF-8 byte `ranges` the API gives in <mark>s.
function marked(text, ranges) {
  return markedIndices(text, charRanges(text, ranges));
}

function kindName(kind) {
  return KINDS[kind] || kind || '';
}

function groupLabel(dimension, key) {
  if (key === UNKNOWN) return '未知';
  return dimension === 'section' ? kindName(key) : key;
}

/// Province, city and county, each once (a municipality is its own city).
function placeOf(item) {
  const parts = [];
  for (const name of [item.province, item.city, item.county]) {
    if (name && parts[parts.length - 1] !== name) parts.push(name);
  }
  return parts.join(' ');
}

function tags(item) {
  return el('div', { class: 'tags' },
    el('span', { class: 'place' }, placeOf(item) || '地区不详'),
    el('span', { class: 'year' }, item.year ? item.year + ' 年' : '年份不详'),
    item.issuer ? el('span', { class: 'issuer' }, item.issuer) : null);
}

function sectionLine(item) {
  return el('div', { class: 'section' },
    el('span', { class: 'kind kind-' + item.section_kind }, kindName(item.section_kind)),
    ' ', item.section || '（正文开头）');
}

function number(n) {
  return Number(n).toLocaleString('zh-CN');
}

// ---- talking to the server ------------------------------------------------------------

let latest = 0;

/// Fetches JSON; a newer request makes older answers be dropped (returns null).
async function fetchJson(url) {
  const ticket = ++latest;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new Error('无法连接服务器：' + err.message);
  }
  const body = await response.json().catch(() => ({}));
  if (ticket !== latest) return null;
  if (!response.ok) throw new Error(body.error || '服务器返回 ' + response.status);
  return body;
}

function setStatus(text, isError) {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function clearViews() {
  $('results').replaceChildren();
  $('pager').replaceChildren();
}

// ---- the form and the filters -----------------------------------------------------------

function fillForm(state) {
  $('q').value = state.q || '';
  const view = state.view === 'mentions' || (state.view === 'report' && state.from === 'mentions')
    ? 'mentions' : 'search';
  for (const radio of document.querySelectorAll('input[name=view]')) radio.checked = radio.value === view;
  $('loose').checked = state.loose === '1';
  $('loose-label').hidden = view !== 'mentions';
  // Filters narrow a search; before one, or in a report, they have nothing to offer.
  $('filters').hidden = state.view === 'report' || !state.q;
}

/// Fills a filter <select> with the choices of `groups` and their counts, keeping the
/// current choice even when it has no hits now.
function fillSelect(select, allLabel, dimension, groups, current) {
  select.replaceChildren(el('option', { value: '' }, allLabel));
  let present = false;
  for (const group of groups || []) {
    if (group.key === UNKNOWN) continue;
    select.append(el('option', { value: group.key },
      groupLabel(dimension, group.key) + '（' + number(group.count) + '）'));
    if (group.key === current) present = true;
  }
  if (current && !present) {
    select.append(el('option', { value: current }, groupLabel(dimension, current) + '（0）'));
  }
  select.value = current || '';
}

function yearBounds(state) {
  if (!state.year) return ['', ''];
  const [from, to] = state.year.split('..');
  return [from, to || from];
}

function fillFilters(state, facets) {
  fillSelect($('province'), '全部省份', 'province', facets.province, state.province);
  fillSelect($('city'), '全部城市', 'city', state.province ? facets.city : [], state.city);
  fillSelect($('county'), '全部县区', 'county', state.city ? facets.county : [], state.county);
  $('city').disabled = !state.province;
  $('county').disabled = !state.city;
  const years = (facets.year || []).slice().sort((a, b) => a.key.localeCompare(b.key));
  const [from, to] = yearBounds(state);
  fillSelect($('year-from'), '起始年份', 'year', years, from);
  fillSelect($('year-to'), '截止年份', 'year', years, to);
  const sections = Object.keys(KINDS).map((kind) => {
    const found = (facets.section || []).find((g) => g.key === kind);
    return { key: kind, count: found ? found.count : 0 };
  }).filter((g) => g.count > 0);
  fillSelect($('section'), '全部栏目', 'section', sections, state.section);
}

function onFilterChange(event) {
  const state = readState();
  const id = event.target.id;
  const value = event.target.value;
  if (id === 'province') { state.province = value; delete state.city; delete state.county; }
  if (id === 'city') { state.city = value; delete state.county; }
  if (id === 'county') state.county = value;
  if (id === 'section') state.section = value;
  if (id === 'year-from' || id === 'year-to') {
    let from = $('year-from').value;
    let to = $('year-to').value;
    const known = [...$('year-from').options].map((o) => o.value).filter(Boolean).sort();
    if (from && !to) to = known[known.length - 1];
    if (to && !from) from = known[0];
    if (from && to && from > to) [from, to] = [to, from];
    state.year = !from ? '' : from === to ? from : from + '..' + to;
  }
  for (const key of Object.keys(state)) if (!state[key]) delete state[key];
  delete state.page;
  go(state);
}

// ---- views --------------------------------------------------------------------------------

async function render(state) {
  fillForm(state);
  document.title = (state.q ? state.q + ' · ' : '') + '法治政府建设年度报告检索';
  try {
    if (state.view === 'report' && state.path) await renderReport(state);
    else if (!state.q) await renderHome();
    else if (state.view === 'mentions') await renderMentions(state);
    else await renderSearch(state);
  } catch (err) {
    clearViews();
    setStatus(err.message, true);
  }
}

async function renderHome() {
  setStatus('正在读取索引…');
  const body = await fetchJson('/api/reports');
  if (!body) return;
  clearViews();
  fillFilters({}, {});
  const years = body.reports.map((r) => r.year).filter(Boolean);
  const span = years.length ? '，' + Math.min(...years) + '–' + Math.max(...years) + ' 年' : '';
  setStatus('已收录 ' + number(body.reports.length) + ' 篇报告' + span + '。');
  const examples = ['枫桥经验', '行政复议 办结', '“八五”普法', '合法性审查 -疫情'];
  $('results').append(el('div', { class: 'intro' },
    el('p', {}, '输入词语检索段落，或选“统计提及”查看一个短语在各地、各年出现的次数。示例：'),
    el('ul', { class: 'examples' }, ...examples.map((q) =>
      el('li', {}, el('a', { href: stateUrl({ q }), onclick: follow }, q))))));
}

/// Follows an in-page link without reloading the page.
function follow(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  const url = new URL(event.currentTarget.href);
  history.pushState(null, '', url.pathname + url.search);
  render(readState());
}

function pager(state, total, perPage) {
  const pages = Math.ceil(total / perPage);
  const page = Number(state.page) || 1;
  const nav = $('pager');
  nav.replaceChildren();
  if (pages <= 1) return;
  const link = (to, label, rel) => {
    const target = { ...state, page: to === 1 ? '' : String(to) };
    return el('a', { href: stateUrl(target), onclick: follow, rel, class: 'page-link' }, label);
  };
  if (page > 1) nav.append(link(page - 1, '‹ 上一页', 'prev'));
  nav.append(el('span', { class: 'page-count' }, '第 ' + page + ' / ' + pages + ' 页'));
  if (page < pages) nav.append(link(page + 1, '下一页 ›', 'next'));
}

function reportLink(state, item, from) {
  const target = {
    view: 'report', path: item.path, paragraph: String(item.paragraph),
    q: state.q, from, loose: from === 'mentions' ? state.loose : '',
  };
  return el('a', { href: stateUrl(target), onclick: follow, class: 'open' },
    '在报告中查看 · ' + item.path + '#' + item.paragraph);
}

async function renderSearch(state) {
  setStatus('正在检索…');
  const page = Math.max(1, Number(state.page) || 1);
  const body = await fetchJson(apiUrl('/api/search', {
    q: state.q, ...filtersOf(state), limit: HITS_PER_PAGE, offset: (page - 1) * HITS_PER_PAGE,
  }));
  if (!body) return;
  clearViews();
  fillFilters(state, body.facets);
  if (body.total === 0) {
    setStatus('没有段落与“' + state.q + '”匹配。');
    return;
  }
  const first = body.offset + 1;
  const last = body.offset + body.hits.length;
  setStatus('共 ' + number(body.total) + ' 段与“' + state.q + '”匹配，按相关程度排列，第 '
    + number(first) + '–' + number(last) + ' 段：');
  const list = el('ol', { class: 'hits', start: String(first) });
  for (const hit of body.hits) {
    list.append(el('li', { class: 'hit' },
      tags(hit),
      sectionLine(hit),
      el('p', { class: 'snippet' }, marked(hit.snippet, hit.snippet_highlights)),
      reportLink(state, hit, '')));
  }
  $('results').append(list);
  pager(state, body.total, HITS_PER_PAGE);
}

// ---- mentions: charts, table, list --------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/// The width charts are drawn at: the room they have, so that their text keeps its size
/// on a phone.
function chartWidth() {
  return Math.max(300, Math.min(900, $('results').clientWidth || 640));
}

/// Vertical bars, one per year, with the count above each bar.
function yearChart(groups) {
  const known = groups.filter((g) => g.key !== UNKNOWN);
  const width = chartWidth();
  const height = 220;
  const top = 24;
  const bottom = 28;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': '按年份的提及次数' });
  const largest = Math.max(1, ...known.map((g) => g.count));
  const slot = width / Math.max(1, known.length);
  const barWidth = Math.min(48, slot * 0.7);
  known.forEach((group, i) => {
    const barHeight = (group.count / largest) * (height - top - bottom);
    const x = i * slot + (slot - barWidth) / 2;
    const y = height - bottom - barHeight;
    const bar = svg('rect', { x, y, width: barWidth, height: Math.max(barHeight, 1), class: 'bar' });
    bar.append(svg('title', {}, group.key + ' 年：' + group.count + ' 次'));
    chart.append(bar);
    // Counts above bars too narrow for them are left to the bar's tooltip and the table.
    if (slot >= 30) {
      chart.append(svg('text', { x: x + barWidth / 2, y: y - 6, 'text-anchor': 'middle', class: 'value' }, String(group.count)));
    }
    // Where four digits do not fit under a bar, the year is shortened to ’21.
    const label = slot < 36 ? '’' + group.key.slice(-2) : group.key;
    chart.append(svg('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle', class: 'label' }, label));
  });
  return chart;
}

/// Horizontal bars, largest first, at most `limit` of them.
function barChart(groups, dimension, limit) {
  const shown = groups.slice(0, limit);
  const row = 26;
  const width = chartWidth();
  const labelWidth = Math.min(130, Math.round(width * 0.3));
  const height = row * shown.length + 8;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': '按' + GROUP_NAMES[dimension] + '的提及次数' });
  const largest = Math.max(1, ...shown.map((g) => g.count));
  shown.forEach((group, i) => {
    const y = i * row + 4;
    const barWidth = (group.count / largest) * (width - labelWidth - 60);
    chart.append(svg('text', { x: labelWidth - 8, y: y + row / 2 + 5, 'text-anchor': 'end', class: 'label' }, groupLabel(dimension, group.key)));
    chart.append(svg('rect', { x: labelWidth, y: y + 3, width: Math.max(barWidth, 1), height: row - 8, class: 'bar' }));
    chart.append(svg('text', { x: labelWidth + barWidth + 6, y: y + row / 2 + 5, class: 'value' }, String(group.count)));
  });
  return chart;
}

/// A bar as wide as `share` of its cell. Set through the style object: the page's
/// content security policy refuses inline style attributes.
function meter(share) {
  const bar = el('span', {});
  bar.style.width = (100 * share).toFixed(1) + '%';
  return bar;
}

function countTable(state, facets) {
  const by = GROUP_NAMES[state.by] ? state.by : 'county';
  const tabs = el('div', { class: 'tabs', role: 'tablist' });
  for (const [dimension, name] of Object.entries(GROUP_NAMES)) {
    tabs.append(el('a', {
      href: stateUrl({ ...state, by: dimension === 'county' ? '' : dimension }),
      onclick: follow, role: 'tab', 'aria-selected': String(dimension === by),
      class: dimension === by ? 'tab current' : 'tab',
    }, '按' + name));
  }
  const groups = facets[by] || [];
  const largest = Math.max(1, ...groups.map((g) => g.count));
  const rows = groups.map((group) => el('tr', {},
    el('td', {}, groupLabel(by, group.key)),
    el('td', { class: 'count' }, number(group.count)),
    el('td', { class: 'meter' }, meter(group.count / largest))));
  return el('div', { class: 'count-table' }, tabs,
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, GROUP_NAMES[by]), el('th', { class: 'count' }, '提及次数'), el('th', {}, ''))),
      el('tbody', {}, ...rows)));
}

/// The text around each mention in a paragraph, `MENTION_CONTEXT` characters each side.
function mentionWindows(text, ranges) {
  const lines = el('div', { class: 'windows' });
  const chars = [...text];
  // String index of each character, to cut on characters rather than code units.
  const starts = [];
  let unit = 0;
  for (const ch of chars) { starts.push(unit); unit += ch.length; }
  starts.push(unit);
  const charAt = (index) => { let lo = 0; let hi = starts.length - 1; while (lo < hi) { const mid = (lo + hi) >> 1; if (starts[mid] < index) lo = mid + 1; else hi = mid; } return lo; };
  for (const [from, to] of charRanges(text, ranges)) {
    const first = Math.max(0, charAt(from) - MENTION_CONTEXT);
    const end = Math.min(chars.length, charAt(to) + MENTION_CONTEXT);
    const start = starts[first];
    const stop = starts[end];
    lines.append(el('p', { class: 'window' },
      first > 0 ? '…' : '',
      markedIndices(text.slice(start, stop), [[from - start, to - start]]),
      end < chars.length ? '…' : ''));
  }
  return lines;
}

async function renderMentions(state) {
  setStatus('正在统计…');
  const page = Math.max(1, Number(state.page) || 1);
  const params = { q: state.q, loose: state.loose, ...filtersOf(state) };
  const body = await fetchJson(apiUrl('/api/mentions', {
    ...params, limit: MENTIONS_PER_PAGE, offset: (page - 1) * MENTIONS_PER_PAGE,
  }));
  if (!body) return;
  clearViews();
  fillFilters(state, body.facets);
  if (body.total === 0) {
    setStatus('没有找到“' + state.q + '”。');
    return;
  }
  setStatus('“' + state.q + '”共被提及 ' + number(body.total) + ' 次，见于 '
    + number(body.paragraph_count) + ' 个段落、' + number(body.reports) + ' 篇报告。');
  const csv = el('a', { href: apiUrl('/api/mentions.csv', params), download: 'mentions.csv', class: 'download' }, '下载 CSV（每次提及一行）');
  const results = $('results');
  results.append(el('div', { class: 'actions' }, csv));
  results.append(el('h2', {}, '按年份'), yearChart(body.facets.year));
  results.append(el('h2', {}, '按省份'), barChart(body.facets.province, 'province', 20));
  results.append(el('h2', {}, '统计表'), countTable(state, body.facets));
  const first = body.offset + 1;
  const last = body.offset + body.paragraphs.length;
  results.append(el('h2', { id: 'mention-list' }, '提及的段落（第 ' + number(first) + '–' + number(last) + ' 段，共 ' + number(body.paragraph_count) + ' 段）'));
  const list = el('ol', { class: 'hits mentions', start: String(first) });
  for (const paragraph of body.paragraphs) {
    list.append(el('li', { class: 'hit' },
      tags(paragraph),
      sectionLine(paragraph),
      mentionWindows(paragraph.text, paragraph.highlights),
      reportLink(state, paragraph, 'mentions')));
  }
  results.append(list);
  pager(state, body.paragraph_count, MENTIONS_PER_PAGE);
}

// ---- the report view ----------------------------------------------------------------------

async function renderReport(state) {
  setStatus('正在打开报告…');
  const fromMentions = state.from === 'mentions';
  const body = await fetchJson(apiUrl('/api/show', {
    path: state.path,
    q: fromMentions ? '' : state.q,
    phrase: fromMentions ? state.q : '',
    loose: fromMentions ? state.loose : '',
  }));
  if (!body) return;
  clearViews();
  const focus = Number(state.paragraph) || 0;
  setStatus(focus ? '第 ' + focus + ' 段已标出。' : '');
  const back = el('a', {
    href: '#', class: 'back',
    onclick: (event) => {
      event.preventDefault();
      if (history.length > 1) history.back();
      else go({ q: state.q, view: fromMentions ? 'mentions' : '' });
    },
  }, '‹ 返回结果');
  const article = el('article', { class: 'report' },
    back,
    el('h2', { class: 'title' }, body.title || body.path),
    el('div', { class: 'report-tags' }, tags(body),
      el('div', { class: 'facts' }, (body.published ? '发布于 ' + body.published + ' · ' : '')
        + body.paragraph_count + ' 段 · ' + body.path)));
  let section = null;
  let focused = null;
  for (const p of body.paragraphs) {
    const heading = p.section.split(' > ');
    const own = heading[heading.length - 1];
    if (p.section !== section) {
      section = p.section;
      if (p.text === own) {
        // A heading line: shown as a heading, one level per step of the path.
        const level = Math.min(6, 2 + heading.length);
        const node = el('h' + level, { class: 'heading', id: 'p' + p.paragraph, 'data-paragraph': p.paragraph },
          el('span', { class: 'number' }, String(p.paragraph)), marked(p.text, p.highlights),
          ' ', el('span', { class: 'kind kind-' + p.section_kind }, kindName(p.section_kind)));
        if (p.paragraph === focus) { node.classList.add('focus'); focused = node; }
        article.append(node);
        continue;
      }
      article.append(el('div', { class: 'section-path' }, sectionLine(p)));
    }
    const node = el('p', { class: 'paragraph', id: 'p' + p.paragraph, 'data-paragraph': p.paragraph },
      el('span', { class: 'number' }, String(p.paragraph)), marked(p.text, p.highlights));
    if (p.paragraph === focus) { node.classList.add('focus'); focused = node; }
    article.append(node);
  }
  $('results').append(article);
  if (focus && !focused) setStatus('这篇报告没有第 ' + focus + ' 段；共 ' + body.paragraph_count + ' 段。', true);
  if (focused) focused.scrollIntoView({ block: 'center' });
  else window.scrollTo(0, 0);
}

// ---- wiring ---------------------------------------------------------------------------------

function submitSearch(event) {
  event.preventDefault();
  const q = $('q').value.trim();
  const view = document.querySelector('input[name=view]:checked').value;
  const previous = readState();
  const state = previous.view === 'report' ? {} : filtersOf(previous);
  if (q) state.q = q;
  if (view === 'mentions') {
    state.view = 'mentions';
    if ($('loose').checked) state.loose = '1';
    if (previous.by) state.by = previous.by;
  }
  go(state);
}

function switchView() {
  const view = document.querySelector('input[name=view]:checked').value;
  $('loose-label').hidden = view !== 'mentions';
  if ($('q').value.trim()) submitSearch(new Event('submit'));
}

document.addEventListener('DOMContentLoaded', () => {
  $('search-form').addEventListener('submit', submitSearch);
  for (const radio of document.querySelectorAll('input[name=view]')) radio.addEventListener('change', switchView);
  $('loose').addEventListener('change', () => { if ($('q').value.trim()) submitSearch(new Event('submit')); });
  for (const id of ['province', 'city', 'county', 'year-from', 'year-to', 'section']) {
    $(id).addEventListener('change', onFilterChange);
  }
  $('clear-filters').addEventListener('click', () => {
    const state = readState();
    for (const key of FILTER_KEYS) delete state[key];
    delete state.page;
    go(state);
  });
  $('home').addEventListener('click', follow);
  window.addEventListener('popstate', () => render(readState()));
  render(readState());
});
