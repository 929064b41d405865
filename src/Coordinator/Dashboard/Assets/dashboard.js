// node-health dashboard: live updates (Server-Sent Events), operator actions with the token, countdowns. No framework.
(() => {
  'use strict';
  const TOKEN_KEY = 'node-health.operator-token';
  const POLL_MS = 5000;
  const MIN_REFRESH_MS = 1000;
  const body = document.body;
  const live = document.getElementById('live');
  const result = document.getElementById('action-result');
  let refreshes = 0;

  // --- operator token: typed in once, kept for this tab only (sessionStorage), sent as a bearer token ---
  const tokenInput = document.getElementById('operator-token');
  const tokenState = document.getElementById('token-state');
  const token = () => sessionStorage.getItem(TOKEN_KEY) || '';
  const showToken = () => {
    const set = token() !== '';
    tokenState.dataset.state = set ? 'set' : 'missing';
    tokenState.textContent = set ? 'Token kept for this tab.' : 'No token: operator actions will be refused.';
  };
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = tokenInput.value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    tokenInput.value = '';
    showToken();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showToken();
  });
  showToken();

  // --- operator actions: <form class="action" data-method data-url> sends its fields as query parameters ---
  const say = (outcome, text) => {
    result.dataset.outcome = outcome;
    result.setAttribute('role', outcome === 'refused' || outcome === 'failed' ? 'alert' : 'status');
    result.textContent = text;
  };
  const problemText = async (response) => {
    try {
      const p = await response.json();
      return [p.title, p.detail, p.hint ? `Hint: ${p.hint}.` : ''].filter(Boolean).join(' — ');
    } catch {
      return response.statusText;
    }
  };
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('action')) return;
    e.preventDefault();
    const url = new URL(form.dataset.url, location.origin);
    for (const [name, value] of new FormData(form)) if (String(value).trim()) url.searchParams.set(name, String(value).trim());
    if (form.dataset.freshId) url.searchParams.set(form.dataset.freshId, `dashboard-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
    if (form.dataset.by) url.searchParams.set('by', 'dashboard');
    const what = form.dataset.what || 'Action';
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    say('pending', `${what}: sending…`);
    try {
      const response = await fetch(url, { method: form.dataset.method, headers });
      if (response.status === 401) {
        say('refused', `${what}: refused (401) — ${await problemText(response)}${token() ? '' : ' Type the operator token at the top of the page.'}`);
      } else if (!response.ok && response.status !== 202) {
        say('failed', `${what}: failed (${response.status}) — ${await problemText(response)}`);
      } else {
        let detail = '';
        try {
          const answer = await response.json();
          detail = answer.detail || answer.status || '';
        } catch { /* an empty answer is fine */ }
        say('done', `${what}: done${response.status === 202 ? ' (accepted; the agent has not answered yet)' : ''}${detail ? ` — ${detail}` : ''}`);
        refresh();
      }
    } catch (error) {
      say('failed', `${what}: the coordinator did not answer (${error.message}).`);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  // --- countdowns: every [data-countdown] says how long until its instant ---
  const span = (ms) => {
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400); const h = Math.floor(s / 3600) % 24; const m = Math.floor(s / 60) % 60;
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${s % 60}s`;
    return `${s}s`;
  };
  const tick = () => {
    for (const el of document.querySelectorAll('[data-countdown]')) {
      const left = Date.parse(el.dataset.countdown) - Date.now();
      el.textContent = left > 0 ? `in ${span(left)}` : 'due now';
    }
  };
  setInterval(tick, 1000);

  // --- refresh: the server renders; the page swaps in the new <main> without a reload ---
  let lastRefresh = 0;
  let timer = null;
  let inFlight = false;
  const editing = () => {
    const el = document.activeElement;
    return el && el.closest('main') && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && el.value !== '';
  };
  async function refresh() {
    if (timer) return;
    const wait = Math.max(0, lastRefresh + MIN_REFRESH_MS - Date.now());
    timer = setTimeout(async () => {
      timer = null;
      if (inFlight) { refresh(); return; }
      if (editing()) { setTimeout(refresh, MIN_REFRESH_MS); return; }
      inFlight = true;
      lastRefresh = Date.now();
      try {
        const response = await fetch(location.href, { headers: { Accept: 'text/html' }, cache: 'no-store' });
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const next = page.querySelector('main');
        if (next) {
          document.querySelector('main').replaceChildren(...next.childNodes);
          document.title = page.title;
          refreshes += 1;
          document.documentElement.dataset.refreshes = String(refreshes);
          tick();
        }
      } catch {
        // The coordinator is away (restart, failover): the next event or poll tries again.
      } finally {
        inFlight = false;
      }
    }, wait);
  }

  // --- simulations: the scenario goes to the API; its HTML report's body is shown in the dashboard's style ---
  const simulation = document.getElementById('simulation-form');
  if (simulation) {
    const status = document.getElementById('simulation-status');
    const report = document.getElementById('simulation-report');
    simulation.addEventListener('submit', async (e) => {
      e.preventDefault();
      const button = simulation.querySelector('button');
      button.disabled = true;
      status.textContent = 'Simulating…';
      report.replaceChildren();
      try {
        const response = await fetch(simulation.dataset.url, {
          method: 'POST', headers: { Accept: 'text/html', 'Content-Type': 'application/yaml' }, body: simulation.elements.scenario.value,
        });
        if (!response.ok) {
          status.textContent = `The simulation was refused (${response.status}) — ${await problemText(response)}`;
          return;
        }
        // Inline styles would break this page's content security policy (even while parsing): the report's own stylesheet
        // is dropped (the dashboard styles its markup) and its style attributes are carried over through the CSSOM.
        const html = (await response.text())
          .replace(/<style[\s\S]*?<\/style>/gi, '')
          .replace(/\sstyle="([^"]*)"/gi, ' data-inline-style="$1"');
        const page = new DOMParser().parseFromString(html, 'text/html');
        page.querySelectorAll('script, link').forEach((el) => el.remove());
        report.replaceChildren(...page.body.childNodes);
        for (const el of report.querySelectorAll('[data-inline-style]')) {
          for (const declaration of el.dataset.inlineStyle.split(';')) {
            const colon = declaration.indexOf(':');
            if (colon > 0) el.style.setProperty(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
          }
          el.removeAttribute('data-inline-style');
        }
        status.textContent = `Simulated: ${page.title}`;
      } catch (error) {
        status.textContent = `The coordinator did not answer (${error.message}).`;
      } finally {
        button.disabled = false;
      }
    });
  }

  // --- live: the API's event stream, else a timer (a coordinator without the stream, or a proxy that breaks it) ---
  const setLive = (state, text) => { live.dataset.live = state; live.textContent = text; };
  const poll = (why) => {
    setLive('polling', `Live: refreshing every ${POLL_MS / 1000} s (${why})`);
    setInterval(refresh, POLL_MS);
  };
  const scope = body.dataset.node || '';
  const concerns = (data) => {
    if (!scope) return true;
    try {
      const item = JSON.parse(data);
      return !item || (item.name ?? item.node ?? scope) === scope;
    } catch {
      return true;
    }
  };
  if (body.dataset.live === 'off') {
    // A page whose content only changes when its user runs something (simulations): nothing to follow.
  } else if (!body.dataset.events) {
    poll('this coordinator serves no event stream');
  } else if (!('EventSource' in window)) {
    poll('this browser has no EventSource');
  } else {
    const stream = new EventSource(body.dataset.events);
    let opened = false;
    stream.onopen = () => { opened = true; setLive('stream', 'Live: updates as they happen'); };
    stream.onerror = () => {
      if (stream.readyState === EventSource.CLOSED) {
        stream.close();
        poll(opened ? 'the event stream closed' : 'the event stream is unavailable');
      } else {
        setLive('reconnecting', 'Live: reconnecting…');
      }
    };
    for (const type of ['node', 'repair', 'decision', 'approval', 'pause']) {
      stream.addEventListener(type, (e) => { if (concerns(e.data)) refresh(); });
    }
    // Events between the page's rendering and the stream's (re)opening would be missed: render afresh once.
    stream.addEventListener('open', () => refresh());
  }
})();
