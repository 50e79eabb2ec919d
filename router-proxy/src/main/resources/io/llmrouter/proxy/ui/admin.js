// llmrouter proxy admin page. Plain JavaScript, no build step, no external resources, no inline
// script (a strict Content-Security-Policy can forbid it). Every value from the server is written
// with textContent, never innerHTML, so a key alias like <img onerror=...> shows as text.
//
// The master key lives in this tab's sessionStorage only and goes out as "Authorization: Bearer"
// to this proxy's admin API: GET /key/list, POST /key/generate, POST /key/delete,
// GET /global/spend/keys, GET /global/spend/models, GET /admin/deployments.
'use strict';

(function () {
  const STORAGE_KEY = 'llmrouter.masterKey';
  const VIEWS = ['keys', 'spend', 'deployments'];
  const ARM_MILLIS = 4000;

  const $ = (id) => document.getElementById(id);

  let currentView = 'keys';
  let loadGeneration = 0;

  // ---- master key --------------------------------------------------------------------------

  function masterKey() {
    try {
      return sessionStorage.getItem(STORAGE_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function setMasterKey(key) {
    try {
      if (key) {
        sessionStorage.setItem(STORAGE_KEY, key);
      } else {
        sessionStorage.removeItem(STORAGE_KEY);
      }
    } catch (e) {
      // storage disabled: the page then asks again on reload
    }
  }

  // ---- the admin API -----------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** Never shows the key, even if a server echoed it back. */
  function redact(text) {
    const key = masterKey();
    let out = String(text);
    if (key) {
      out = out.split(key).join('****');
    }
    return out;
  }

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + masterKey(), 'Accept': 'application/json' };
    const init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'The proxy did not answer (' + (e && e.message ? e.message : 'network error') + ')');
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        json = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, errorMessage(response.status, json));
    }
    return json;
  }

  function errorMessage(status, json) {
    let detail = '';
    if (json && typeof json === 'object') {
      if (json.error && typeof json.error === 'object' && json.error.message) {
        detail = json.error.message;
      } else if (typeof json.error === 'string') {
        detail = json.error;
      } else if (typeof json.detail === 'string') {
        detail = json.detail;
      } else if (typeof json.message === 'string') {
        detail = json.message;
      }
    }
    const prefix = status === 401 ? 'The master key was refused' : 'The proxy answered ' + status;
    return redact(detail ? prefix + ': ' + detail : prefix);
  }

  // ---- small formatting helpers (all return plain strings) ----------------------------------

  function present(v) {
    return v !== undefined && v !== null && v !== '';
  }

  function first(obj) {
    for (let i = 1; i < arguments.length; i++) {
      const v = obj ? obj[arguments[i]] : undefined;
      if (present(v)) {
        return v;
      }
    }
    return undefined;
  }

  function usd(v) {
    if (!present(v)) {
      return '\u2013';
    }
    const n = Number(v);
    if (!Number.isFinite(n)) {
      return String(v);
    }
    if (n === 0) {
      return '$0';
    }
    if (Math.abs(n) >= 1) {
      return '$' + n.toFixed(2);
    }
    if (Math.abs(n) < 0.000001) {
      return '$' + n.toExponential(2);
    }
    return '$' + n.toFixed(6).replace(/0+$/, '');
  }

  function count(v) {
    if (!present(v)) {
      return '\u2013';
    }
    const n = Number(v);
    return Number.isFinite(n) ? n.toLocaleString('en-US') : String(v);
  }

  function text(v, empty) {
    if (!present(v)) {
      return empty === undefined ? '\u2013' : empty;
    }
    if (Array.isArray(v)) {
      return v.length === 0 ? (empty === undefined ? '\u2013' : empty) : v.map(String).join(', ');
    }
    if (typeof v === 'object') {
      return JSON.stringify(v);
    }
    return String(v);
  }

  function when(v) {
    if (!present(v)) {
      return 'never';
    }
    if (typeof v === 'number') {
      // epoch seconds or milliseconds
      const d = new Date(v < 1e12 ? v * 1000 : v);
      return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
    }
    return String(v);
  }

  /** The router's deployment states (available, cooling_down, probing) in words. */
  function statusText(status) {
    const raw = text(status);
    switch (raw.toLowerCase()) {
      case 'available':
        return 'healthy';
      case 'cooling_down':
        return 'cooling down';
      case 'probing':
        return 'probing (cooldown over)';
      default:
        return raw;
    }
  }

  function cssToken(v) {
    return String(v).toLowerCase().replace(/[^a-z0-9-]/g, '-');
  }

  function listOf(json, field) {
    if (Array.isArray(json)) {
      return json;
    }
    if (json && typeof json === 'object') {
      for (const name of [field, 'data', 'items']) {
        if (Array.isArray(json[name])) {
          return json[name];
        }
      }
    }
    return [];
  }

  // ---- DOM helpers ---------------------------------------------------------------------------

  function cell(row, value, className) {
    const td = document.createElement('td');
    td.textContent = value;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function hideError() {
    const box = $('error');
    box.textContent = '';
    box.hidden = true;
  }

  function clearData() {
    ['keys-body', 'spend-keys-body', 'spend-models-body', 'deployments-body'].forEach((id) => clear($(id)));
    $('keys-empty').hidden = true;
    $('new-key').textContent = '';
    $('new-key-box').hidden = true;
  }

  // ---- views ---------------------------------------------------------------------------------

  function showLogin() {
    clearData();
    $('nav').hidden = true;
    VIEWS.forEach((v) => { $(v + '-view').hidden = true; });
    $('login-view').hidden = false;
    $('master-key').value = '';
    $('master-key').focus();
  }

  function showView(view) {
    currentView = VIEWS.indexOf(view) >= 0 ? view : 'keys';
    $('login-view').hidden = true;
    $('nav').hidden = false;
    VIEWS.forEach((v) => {
      $(v + '-view').hidden = v !== currentView;
      $('tab-' + v).classList.toggle('active', v === currentView);
    });
    if (location.hash !== '#' + currentView) {
      history.replaceState(null, '', '#' + currentView);
    }
  }

  /** Loads the current view; a refused key logs out with the error shown. */
  async function load() {
    const generation = ++loadGeneration;
    try {
      if (currentView === 'keys') {
        await loadKeys(generation);
      } else if (currentView === 'spend') {
        await loadSpend(generation);
      } else {
        await loadDeployments(generation);
      }
      if (generation === loadGeneration) {
        hideError();
        document.body.dataset.loaded = currentView + ':' + generation;
      }
    } catch (e) {
      if (generation !== loadGeneration) {
        return;
      }
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setMasterKey('');
        showLogin();
      }
      showError(e instanceof ApiError ? e.message : 'The page failed: ' + redact(e && e.message));
    }
  }

  async function loadKeys(generation) {
    const json = await api('GET', '/key/list?return_full_object=true&size=1000');
    if (generation !== loadGeneration) {
      return;
    }
    const body = $('keys-body');
    clear(body);
    const keys = listOf(json, 'keys').map((k) => (typeof k === 'string' ? { token: k } : k || {}));
    $('keys-empty').hidden = keys.length > 0;
    keys.forEach((k) => {
      const token = first(k, 'token', 'key_hash', 'token_hash');
      const row = document.createElement('tr');
      row.className = 'key-row';
      if (present(token)) {
        row.dataset.token = String(token);
      }
      cell(row, text(first(k, 'key_name', 'keyName'), present(token) ? String(token).slice(0, 8) + '\u2026' : '\u2013'));
      cell(row, text(first(k, 'key_alias', 'keyAlias'))).classList.add('wrap', 'key-alias');
      cell(row, text(k.models, 'all models'), 'wrap');
      const budget = first(k, 'max_budget', 'maxBudget');
      const period = first(k, 'budget_duration', 'budgetDuration');
      const budgetText = present(budget) ? usd(budget) + (present(period) ? ' per ' + text(period) : '') : 'no budget';
      cell(row, usd(first(k, 'spend') ?? 0) + ' / ' + budgetText, 'key-spend');
      cell(row, text(first(k, 'rpm_limit', 'rpmLimit')) + ' / ' + text(first(k, 'tpm_limit', 'tpmLimit')));
      cell(row, when(first(k, 'expires', 'expires_at')));
      const blocked = k.blocked === true || k.blocked === 'true';
      cell(row, blocked ? 'yes' : 'no', blocked ? 'status-blocked' : '');
      const actions = cell(row, '');
      if (present(token)) {
        actions.appendChild(deleteButton(String(token)));
      }
      body.appendChild(row);
    });
  }

  function deleteButton(token) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'danger delete-key';
    button.textContent = 'Delete';
    let timer = 0;
    button.addEventListener('click', async () => {
      if (!button.classList.contains('armed')) {
        button.classList.add('armed');
        button.textContent = 'Confirm delete';
        timer = setTimeout(() => {
          button.classList.remove('armed');
          button.textContent = 'Delete';
        }, ARM_MILLIS);
        return;
      }
      clearTimeout(timer);
      button.disabled = true;
      try {
        await api('POST', '/key/delete', { keys: [token] });
        await load();
      } catch (e) {
        button.disabled = false;
        showError(e instanceof ApiError ? e.message : redact(e && e.message));
      }
    });
    return button;
  }

  async function loadSpend(generation) {
    const [byKey, byModel] = await Promise.all([api('GET', '/global/spend/keys'), api('GET', '/global/spend/models')]);
    if (generation !== loadGeneration) {
      return;
    }
    fillSpend($('spend-keys-body'), listOf(byKey, 'keys'), ['key_alias', 'key_name', 'name', 'api_key', 'token']);
    fillSpend($('spend-models-body'), listOf(byModel, 'models'), ['model', 'model_group', 'name']);
  }

  function fillSpend(body, rows, nameFields) {
    clear(body);
    rows.forEach((r) => {
      const row = document.createElement('tr');
      row.className = 'spend-row';
      cell(row, text(first.apply(null, [r].concat(nameFields))), 'wrap spend-name');
      cell(row, count(first(r, 'requests', 'api_requests', 'request_count')), 'num');
      cell(row, count(first(r, 'total_tokens', 'totalTokens', 'tokens')), 'num');
      cell(row, usd(first(r, 'total_spend', 'spend', 'cost')), 'num spend-cost');
      body.appendChild(row);
    });
  }

  async function loadDeployments(generation) {
    const json = await api('GET', '/admin/deployments');
    if (generation !== loadGeneration) {
      return;
    }
    const body = $('deployments-body');
    clear(body);
    listOf(json, 'deployments').forEach((d) => {
      const row = document.createElement('tr');
      row.className = 'deployment-row';
      cell(row, text(first(d, 'id', 'deployment_id', 'model_id')), 'wrap deployment-id');
      cell(row, text(first(d, 'group', 'model_group', 'model_name')), 'wrap');
      cell(row, text(first(d, 'route', 'model', 'litellm_model')), 'wrap');
      let status = first(d, 'status', 'health');
      if (!present(status) && typeof d.healthy === 'boolean') {
        status = d.healthy ? 'available' : 'unhealthy';
      }
      const shown = statusText(status);
      cell(row, shown, 'deployment-status status-' + cssToken(text(status)));
      const cooldown = first(d, 'cooling_until', 'cooldown_until', 'cooldownUntil', 'cooldown');
      cell(row, present(cooldown) && cooldown !== false ? 'until ' + when(cooldown) : 'none');
      cell(row, count(first(d, 'in_flight', 'inFlight', 'in_flight_requests')), 'num');
      cell(row, count(first(d, 'recent_failures', 'recentFailures')), 'num');
      cell(row, usd(first(d, 'spend', 'cost')), 'num');
      body.appendChild(row);
    });
  }

  // ---- forms ---------------------------------------------------------------------------------

  async function onLogin(event) {
    event.preventDefault();
    const key = $('master-key').value.trim();
    if (!key) {
      showError('Enter the master key.');
      return;
    }
    setMasterKey(key);
    $('master-key').value = '';
    showView(viewFromHash());
    await load();
  }

  function viewFromHash() {
    const v = location.hash.replace(/^#/, '');
    return VIEWS.indexOf(v) >= 0 ? v : 'keys';
  }

  function positiveNumber(id, integer) {
    const raw = $(id).value.trim();
    if (!raw) {
      return undefined;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new Error($(id).name + ' must be a ' + (integer ? 'whole ' : '') + 'number \u2265 0');
    }
    return n;
  }

  async function onCreate(event) {
    event.preventDefault();
    const body = {};
    try {
      const alias = $('new-alias').value.trim();
      if (alias) {
        body.key_alias = alias;
      }
      const models = $('new-models').value.split(',').map((m) => m.trim()).filter((m) => m);
      if (models.length) {
        body.models = models;
      }
      const budget = positiveNumber('new-max-budget', false);
      if (budget !== undefined) {
        body.max_budget = budget;
      }
      const period = $('new-budget-duration').value.trim();
      if (period) {
        body.budget_duration = period;
      }
      const rpm = positiveNumber('new-rpm', true);
      if (rpm !== undefined) {
        body.rpm_limit = rpm;
      }
      const tpm = positiveNumber('new-tpm', true);
      if (tpm !== undefined) {
        body.tpm_limit = tpm;
      }
      const duration = $('new-duration').value.trim();
      if (duration) {
        body.duration = duration;
      }
    } catch (e) {
      showError(e.message);
      return;
    }
    const button = $('create');
    button.disabled = true;
    try {
      const created = await api('POST', '/key/generate', body);
      const key = created && typeof created.key === 'string' ? created.key : '';
      $('new-key').textContent = key;
      $('new-key-box').hidden = !key;
      $('create-form').reset();
      hideError();
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setMasterKey('');
        showLogin();
      }
      showError(e instanceof ApiError ? e.message : redact(e && e.message));
    } finally {
      button.disabled = false;
    }
  }

  // ---- wiring --------------------------------------------------------------------------------

  function start() {
    $('login-form').addEventListener('submit', onLogin);
    $('create-form').addEventListener('submit', onCreate);
    $('new-key-dismiss').addEventListener('click', () => {
      $('new-key').textContent = '';
      $('new-key-box').hidden = true;
    });
    VIEWS.forEach((v) => {
      $('tab-' + v).addEventListener('click', () => {
        hideError();
        showView(v);
        load();
      });
    });
    $('refresh').addEventListener('click', () => load());
    $('logout').addEventListener('click', () => {
      setMasterKey('');
      hideError();
      showLogin();
    });
    if (masterKey()) {
      showView(viewFromHash());
      load();
    } else {
      showLogin();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
