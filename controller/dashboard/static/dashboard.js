// The build-swarm dashboard: read only, from the controller's API and its
// watches (docs/api.md, "Watching"); no library, no build step.
'use strict';

const TOKEN_KEY = 'buildswarm.token';
const TIMELINE_HOURS = 3;
const EVENTS_SHOWN = 20;

// ---- The token: from the URL's fragment (never sent to the server), then
// kept in this tab's session storage only.

function takeTokenFromFragment() {
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJson(path) {
  const r = await fetch(path, {headers: {Authorization: 'Bearer ' + token()}, cache: 'no-store'});
  if (!r.ok) {
    let message = r.status + ' ' + r.statusText;
    try {
      message = (await r.json()).message || message;
    } catch (e) { /* not JSON */
    }
    throw new HttpError(r.status, message);
  }
  return r.json();
}

// ---- What the page knows, kept by one watch per kind.

const state = {
  swarm: null,
  drones: new Map(),    // name -> Drone
  packages: new Map(),  // name -> Package, in queue order
  events: [],           // oldest first
  heard: 0,             // Date.now() of the last reply
};

function applyItems(kind, items) {
  for (const item of items) {
    const o = item.object;
    if (kind === 'swarm') {
      state.swarm = item.type === 'DELETED' ? null : o;
    } else if (kind === 'events') {
      state.events = state.events.filter((e) => e.id !== o.id);
      state.events.push(o);
      if (state.events.length > 100) state.events.splice(0, state.events.length - 100);
    } else {
      const map = state[kind];
      if (item.type === 'DELETED')
        map.delete(o.metadata.name);
      else
        map.set(o.metadata.name, o);
    }
  }
}

function resetKind(kind) {
  if (kind === 'swarm')
    state.swarm = null;
  else if (kind === 'events')
    state.events = [];
  else
    state[kind] = new Map();
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// Long-polls `path` for changes, forever: without a version the reply is
// every object (the page starts afresh from it); 410 Expired starts over.
async function watch(kind, path) {
  let version = '';
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const url = path + sep + 'watch=true&timeoutSeconds=30' +
        (version ? '&resourceVersion=' + encodeURIComponent(version) : '');
    try {
      const reply = await getJson(url);
      if (!version) resetKind(kind);
      version = reply.metadata.resourceVersion;
      applyItems(kind, reply.items);
      state.heard = Date.now();
      showError('');
      scheduleRender();
    } catch (e) {
      if (e.status === 410) {
        version = '';
        continue;
      }
      if (e.status === 401 || e.status === 403) {
        askForToken(e.message);
        return;
      }
      showError('cannot reach the controller: ' + e.message + ' (retrying)');
      await sleep(2000);
    }
  }
}

// ---- Rendering. Every text goes in through textContent.

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class')
      e.className = v;
    else if (k === 'style')
      e.style.cssText = v;
    else
      e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  const m = Math.floor(s / 60) % 60;
  return Math.floor(s / 3600) + 'h' + (m ? m + 'm' : '');
}

function ago(timestamp) {
  return timestamp ? duration(Date.now() - Date.parse(timestamp)) + ' ago' : 'never';
}

function condition(obj, type) {
  return ((obj.status && obj.status.conditions) || []).find((c) => c.type === type);
}

function isTrue(obj, type) {
  const c = condition(obj, type);
  return !!c && c.status === 'True';
}

function renderConditions(swarm) {
  const list = document.getElementById('conditions');
  list.replaceChildren();
  for (const c of swarm.status.conditions || []) {
    // SystemicFault is bad when True; the others are good when True, and
    // bad when False only where a person must act (else on their way).
    const good = c.type === 'SystemicFault' ? c.status === 'False' : c.status === 'True';
    const bad = c.type === 'SystemicFault' ? c.status === 'True' :
                                             c.status !== 'True' && NEEDS_A_PERSON.has(c.reason);
    list.append(
        el('li', {
          class: good ? 'good' :
              bad     ? 'bad' :
                        'pending',
          title: c.reason + ': ' + c.message,
          'data-type': c.type,
          'data-status': c.status
        },
           c.type + ' ' + c.status));
  }
}

// Reasons of a False condition that no reconciler will change.
const NEEDS_A_PERSON = new Set(['PackagesBlocked', 'DronesNotReady', 'DiscoveryFailed']);

const PHASES = ['Complete', 'Building', 'Needed', 'Failed', 'Blocked'];

function renderQueue(swarm) {
  const counts = Object.fromEntries(PHASES.map((p) => [p, 0]));
  for (const p of state.packages.values())
    counts[p.status.phase] = (counts[p.status.phase] || 0) + 1;
  const total = state.packages.size;
  const bar = document.getElementById('queue-bar');
  bar.replaceChildren();
  for (const phase of PHASES) {
    if (!counts[phase]) continue;
    bar.append(el('span', {
      class: 'phase-' + phase,
      'data-phase': phase,
      title: counts[phase] + ' ' + phase,
      style: 'width:' + (100 * counts[phase] / total) + '%'
    }));
  }
  const parts = [counts.Complete + '/' + total + ' complete'];
  for (const phase of PHASES.slice(1))
    if (counts[phase]) parts.push(counts[phase] + ' ' + phase.toLowerCase());
  const progress = swarm.status.progress;
  if (progress) {
    if (progress.etaSeconds !== undefined) {
      const left = progress.etaSeconds * 1000 - (Date.now() - Date.parse(progress.asOf));
      parts.push('ETA ' + (total && counts.Complete === total ? 'done' : duration(left)));
    }
    if (progress.cores > 0) {
      const idle = Math.max(0, progress.cores - progress.busyCores);
      parts.push(
          Math.round(idle) + ' of ' + progress.cores + ' cores idle (' +
          Math.round(100 * idle / progress.cores) + '%)');
    }
  }
  document.getElementById('queue-text').textContent = total ? parts.join(' · ') : 'no queue yet';
}

function droneStatus(d) {
  const ready = condition(d, 'Ready');
  const words =
      [ready ? (ready.status === 'True'      ? 'Ready' :
                    ready.status === 'False' ? 'NotReady' :
                                               'Unknown') :
               'Unknown'];
  if (isTrue(d, 'Grounded')) words.push('Grounded');
  if (d.status.cordoned) words.push('Cordoned');
  return words;
}

function renderDrones() {
  const body = document.querySelector('#drones tbody');
  body.replaceChildren();
  for (const d of [...state.drones.values()].sort(
           (a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const words = droneStatus(d);
    const classes = ['drone'];
    if (words.includes('Grounded')) classes.push('grounded');
    if (words[0] !== 'Ready') classes.push('unreachable');
    if (d.status.cordoned) classes.push('cordoned');
    const building = (d.status.assignments || []).map((name) => {
      const p = state.packages.get(name);
      const since = p && p.status.startedAt ?
          ' for ' + duration(Date.now() - Date.parse(p.status.startedAt)) :
          '';
      return name + since;
    });
    const grounded = condition(d, 'Grounded');
    const row =
        el('tr', {class: classes.join(' '), 'data-drone': d.metadata.name},
           el('td', {}, d.metadata.name),
           el('td', {title: grounded && grounded.status === 'True' ? grounded.message : ''},
              words.join(', ')),
           el('td', {title: d.status.healthReason || ''}, d.status.health || '-'),
           el('td', {}, building.join(', ') || '-'), el('td', {}, ago(d.status.lastHeartbeatTime)));
    body.append(row);
  }
}

const NEEDED_SHOWN = 15;
const COMPLETE_SHOWN = 10;

// What builds now, what comes next (queue order), what was built last.
function renderPackages() {
  const all = [...state.packages.values()];
  const building = all.filter((p) => p.status.phase === 'Building');
  const needed = all.filter((p) => p.status.phase === 'Needed');
  const complete =
      all.filter((p) => p.status.phase === 'Complete' && p.status.completedAt)
          .sort((a, b) => Date.parse(b.status.completedAt) - Date.parse(a.status.completedAt));
  const rows =
      [...building, ...needed.slice(0, NEEDED_SHOWN), ...complete.slice(0, COMPLETE_SHOWN)];
  const body = document.querySelector('#packages tbody');
  body.replaceChildren();
  for (const p of rows) {
    const s = p.status;
    let time = '';
    if (s.phase === 'Building' && s.startedAt)
      time = 'for ' + duration(Date.now() - Date.parse(s.startedAt));
    if (s.phase === 'Complete') time = 'took ' + duration(s.buildMs) + ', ' + ago(s.completedAt);
    body.append(
        el('tr',
           {class: 'phase-row-' + s.phase, 'data-package': p.metadata.name, 'data-phase': s.phase},
           el('td', {}, p.metadata.name), el('td', {}, s.phase), el('td', {}, s.drone || '-'),
           el('td', {}, time)));
  }
  const hidden = Math.max(0, needed.length - NEEDED_SHOWN);
  document.getElementById('packages-more').textContent =
      hidden ? hidden + ' more needed (swarmctl get packages lists them all)' : '';
}

function renderTimeline() {
  const end = Date.now();
  const start = end - TIMELINE_HOURS * 3600 * 1000;
  const lanes = new Map([...state.drones.keys()].sort().map((n) => [n, []]));
  for (const p of state.packages.values()) {
    const s = p.status;
    let from, to, running = false;
    if (s.phase === 'Complete' && s.completedAt && s.buildMs) {
      to = Date.parse(s.completedAt);
      from = to - s.buildMs;
    } else if (s.phase === 'Building' && s.startedAt) {
      from = Date.parse(s.startedAt);
      to = end;
      running = true;
    } else
      continue;
    if (to < start || !lanes.has(s.drone)) continue;
    lanes.get(s.drone).push({name: p.metadata.name, from: Math.max(from, start), to, running});
  }
  const box = document.getElementById('timeline');
  box.replaceChildren();
  const span = end - start;
  for (const [drone, builds] of lanes) {
    const track = el('div', {class: 'lane-track'});
    for (const b of builds) {
      track.append(el('span', {
        class: 'build' + (b.running ? ' running' : ''),
        'data-package': b.name,
        title: b.name + ' (' + duration(b.to - b.from) + (b.running ? ', running' : '') + ')',
        style: 'left:' + (100 * (b.from - start) / span) +
            '%;width:' + (100 * (b.to - b.from) / span) + '%',
      }));
    }
    box.append(
        el('div', {class: 'lane', 'data-drone': drone}, el('span', {class: 'lane-name'}, drone),
           track));
  }
}

function renderBlocked() {
  const body = document.querySelector('#blocked tbody');
  body.replaceChildren();
  const blocked = [...state.packages.values()].filter(
      (p) => p.status.phase === 'Blocked' || p.status.phase === 'Failed');
  for (const p of blocked) {
    // A package Blocked for capacity is dispatched on its own once a drone
    // fits; the others are retried by rediscovering the queue.
    const capacity = (p.status.reason || '').startsWith('no drone can take it: ');
    body.append(el(
        'tr', {'data-package': p.metadata.name},
        el('td', {}, p.metadata.name + ' (' + p.status.phase + ')'),
        el('td', {}, p.status.reason || (p.status.lastFailure ? p.status.lastFailure.message : '')),
        el('td', {},
           el('code', {},
              capacity ? 'add a drone that fits to spec.drones; swarmctl apply -f swarm.yaml' :
                         'swarmctl fresh'))));
  }
  document.getElementById('blocked').hidden = blocked.length === 0;
  document.getElementById('blocked-none').hidden = blocked.length !== 0;
}

function renderEvents() {
  const body = document.querySelector('#events tbody');
  body.replaceChildren();
  for (const e of state.events.slice(-EVENTS_SHOWN).reverse()) {
    body.append(
        el('tr', {class: 'event-' + e.type},
           el('td', {}, ago(e.lastTimestamp) + (e.count > 1 ? ' (x' + e.count + ')' : '')),
           el('td', {}, e.type), el('td', {}, e.reason),
           el('td', {}, e.involvedObject.kind.toLowerCase() + '/' + e.involvedObject.name),
           el('td', {}, e.message)));
  }
}

function render() {
  const live = document.getElementById('live');
  const quiet = Date.now() - state.heard;
  // Watches answer at least every 30 s: longer means the page is behind.
  live.textContent = state.heard ? 'live, updated ' + duration(quiet) + ' ago' : 'connecting…';
  live.classList.toggle('stale', state.heard > 0 && quiet > 35000);
  const swarm = state.swarm;
  document.getElementById('swarm').hidden = !swarm;
  if (!swarm) return;
  document.getElementById('swarm-name').textContent = 'swarm/' + swarm.metadata.name;
  renderConditions(swarm);
  renderQueue(swarm);
  renderDrones();
  renderPackages();
  renderTimeline();
  renderBlocked();
  renderEvents();
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function showError(text) {
  const e = document.getElementById('error');
  e.textContent = text;
  e.hidden = !text;
}

let started = false;
function askForToken(why) {
  started = false;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = why || '';
}

function start() {
  if (started) return;
  started = true;
  document.getElementById('login').hidden = true;
  watch('swarm', '/api/v1/swarm');
  watch('drones', '/api/v1/drones');
  watch('packages', '/api/v1/packages');
  watch('events', '/api/v1/events');
  setInterval(render, 1000);  // ages and the ETA move on their own
}

document.addEventListener('DOMContentLoaded', () => {
  takeTokenFromFragment();
  document.getElementById('login').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value);
    started = false;
    start();
  });
  if (token())
    start();
  else
    askForToken('');
});
