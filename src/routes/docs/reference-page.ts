/**
 * Self-contained API reference for GET /docs. Swagger UI / Scalar are too big for the
 * Worker bundle and need a CDN that developers' machines cannot reach, so this page is
 * plain HTML + vanilla JS that reads the OpenAPI document and builds the DOM itself.
 */

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The HTML tokenizer sees script content before JSON.parse does, so "<" (</script>, <!--)
// must never appear raw.
const scriptJson = (v: unknown): string =>
  JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The page's one Content-Security-Policy, sent as a header by GET /docs (a <meta> copy could drift from it and
 * cannot carry frame-ancestors): nothing external loads, and API calls stay on this origin.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; " +
  "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CSS = `
:root {
  color-scheme: light dark;
  --bg: #fff;
  --fg: #1b1f24;
  --mut: #59636e;
  --bd: #d0d7de;
  --card: #f6f8fa;
  --acc: #0969da;
  --ok: #1a7f37;
  --warn: #9a6700;
  --err: #cf222e;
  font:
    15px / 1.5 system-ui,
    sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --fg: #e6edf3;
    --mut: #9198a1;
    --bd: #30363d;
    --card: #161b22;
    --acc: #4493f8;
    --ok: #3fb950;
    --warn: #d29922;
    --err: #f85149;
  }
}
* {
  box-sizing: border-box;
}
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
}
[hidden] {
  display: none !important;
}
a {
  color: var(--acc);
}
header,
main,
.bar > div {
  max-width: 1100px;
  margin: 0 auto;
  padding: 0 16px;
}
code,
pre,
textarea,
.m,
.t {
  font-family: ui-monospace, Menlo, Consolas, monospace;
  font-size: 0.9em;
}
pre {
  background: var(--card);
  border: 1px solid var(--bd);
  padding: 8px;
  border-radius: 6px;
  overflow: auto;
  max-height: 420px;
  white-space: pre-wrap;
  word-break: break-word;
}
:focus-visible {
  outline: 2px solid var(--acc);
  outline-offset: 2px;
}
.skip {
  position: absolute;
  left: -999px;
}
.skip:focus {
  left: 8px;
}
.mut,
.x,
.k {
  color: var(--mut);
}
.x,
.k {
  font-size: 0.88em;
}
.x {
  margin-left: 6px;
}
.d {
  white-space: pre-wrap;
}
.bar {
  position: sticky;
  top: 0;
  z-index: 1;
  background: var(--card);
  border-bottom: 1px solid var(--bd);
  padding: 8px 0;
}
.bar > div {
  display: flex;
  flex-wrap: wrap;
  gap: 8px 16px;
  align-items: end;
}
.bar label {
  display: grid;
  font-size: 0.85em;
  flex: 1 1 240px;
}
input,
select,
textarea,
button {
  font: inherit;
  color: inherit;
  background: var(--bg);
  border: 1px solid var(--bd);
  border-radius: 6px;
  padding: 5px 8px;
}
button {
  cursor: pointer;
  background: var(--acc);
  color: #fff;
  font-weight: 600;
  margin-right: 8px;
}
button + button {
  background: none;
  color: var(--acc);
}
nav {
  display: flex;
  flex-wrap: wrap;
  gap: 4px 14px;
  margin: 8px 0;
}
h2 {
  margin: 28px 0 4px;
  border-bottom: 1px solid var(--bd);
}
h4 {
  margin: 14px 0 4px;
}
section,
.op {
  scroll-margin-top: 90px;
}
.op {
  border: 1px solid var(--bd);
  border-radius: 8px;
  margin: 8px 0;
  background: var(--card);
}
.op > summary {
  padding: 8px 12px;
  cursor: pointer;
}
summary h3 {
  display: inline;
  font-size: 1em;
  font-weight: 400;
}
.m {
  display: inline-block;
  min-width: 62px;
  text-align: center;
  font-weight: 700;
  color: #fff;
  border-radius: 4px;
  margin-right: 8px;
  background: #59636e;
}
.m-get {
  background: #1a7f37;
}
.m-post {
  background: #0969da;
}
.m-put,
.m-patch {
  background: #8250df;
}
.m-delete {
  background: #cf222e;
}
.p {
  font-weight: 600;
  word-break: break-all;
}
.b {
  padding: 4px 16px 16px;
  border-top: 1px solid var(--bd);
  background: var(--bg);
  border-radius: 0 0 8px 8px;
}
.tw {
  overflow-x: auto;
}
table {
  border-collapse: collapse;
  width: 100%;
}
th,
td {
  text-align: left;
  border-bottom: 1px solid var(--bd);
  padding: 4px 8px;
  vertical-align: top;
}
ul {
  list-style: none;
  margin: 2px 0;
  padding-left: 14px;
  border-left: 2px solid var(--bd);
}
.s > div,
.s > ul {
  display: block;
}
.s {
  display: inline;
}
.t {
  color: var(--acc);
}
.r {
  color: var(--err);
  font-weight: 700;
  text-decoration: none;
}
.c2 {
  color: var(--ok);
}
.c4 {
  color: var(--warn);
}
.c5 {
  color: var(--err);
}
.c {
  font-weight: 700;
}
form {
  margin-top: 14px;
  padding: 12px;
  border: 1px dashed var(--bd);
  border-radius: 8px;
}
.f {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
  gap: 8px;
}
.f > div {
  display: grid;
}
textarea {
  width: 100%;
  min-height: 8em;
}
@media (max-width: 600px) {
  .bar {
    position: static;
  }
}
`;

// Kept free of backticks and "${" so it can sit in String.raw, which also leaves backslash
// escapes for the browser to interpret.
const CLIENT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id),
    cfg = JSON.parse($('cfg').textContent),
    tok = $('tok'),
    KEY = 'contentos.docs.token';
  const own = (o, k) => (o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  const J = (v) => JSON.stringify(v, null, 2),
    up = (m) => m.toUpperCase();
  const note = (t) => h('span', { class: 'x' }, t),
    lbl = (t) => h('span', { class: 'k' }, t + ' ');
  let spec = {},
    uid = 0;
  const updaters = [];
  try {
    tok.value = localStorage.getItem(KEY) || '';
  } catch (e) {}
  tok.oninput = () => {
    try {
      localStorage.setItem(KEY, tok.value);
    } catch (e) {}
    updaters.forEach((f) => f());
  };

  // Spec text only ever reaches the DOM as text nodes or attribute values, never as markup.
  const add = (el, kids) => {
    kids.forEach((c) =>
      Array.isArray(c) ? add(el, c) : c != null && c !== false && c !== '' && el.append(c.nodeType ? c : String(c)),
    );
    return el;
  };
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (typeof v === 'function') el.addEventListener(k, v);
      else if (v != null && v !== false) el.setAttribute(k, v === true ? '' : v);
    return add(el, kids);
  }
  const get = (ref) =>
    ref.slice(0, 2) === '#/'
      ? ref
          .slice(2)
          .split('/')
          .reduce((o, p) => own(o, decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~')), spec)
      : undefined;
  const isRef = (x) => x && typeof x.$ref === 'string';
  const refName = (x) => (isRef(x) ? x.$ref.split('/').pop() : '');
  // Follows a chain of refs; "seen" is per branch so a recursive schema stops at its second visit.
  function walk(x, seen) {
    while (isRef(x)) {
      if (seen.includes(x.$ref)) return [null, seen, true];
      seen = seen.concat(x.$ref);
      x = get(x.$ref);
    }
    return [x && typeof x === 'object' ? x : null, seen];
  }
  const deref = (x) => walk(x, [])[0];
  function types(s) {
    const t = [].concat(s.type || []);
    if (!t.length && (s.properties || s.additionalProperties)) t.push('object');
    else if (!t.length && s.items) t.push('array');
    if (s.nullable && !t.includes('null')) t.push('null');
    return t;
  }
  function label(x, d = 0) {
    const s = deref(x),
      u = s && (s.oneOf || s.anyOf || s.allOf);
    if (!s || d > 3) return 'any';
    const t = types(s);
    if (!t.length)
      return Array.isArray(u) ? u.map((y) => refName(y) || label(y, d + 1)).join(s.allOf ? ' & ' : ' | ') : 'any';
    return t
      .map((y) => (y === 'array' && s.items ? 'array<' + (refName(s.items) || label(s.items, d + 1)) + '>' : y))
      .join(' | ');
  }
  const META =
    'format minimum maximum exclusiveMinimum exclusiveMaximum minLength maxLength minItems maxItems pattern default'.split(
      ' ',
    );
  function meta(s) {
    const m = META.filter((k) => s[k] !== undefined && (k === 'default' || typeof s[k] !== 'boolean')).map(
      (k) =>
        k.replace(/imum$/, '') + ': ' + (typeof s[k] === 'string' && k !== 'default' ? s[k] : JSON.stringify(s[k])),
    );
    if (Array.isArray(s.enum)) m.push('enum: ' + s.enum.map((v) => JSON.stringify(v)).join(', '));
    if (s.const !== undefined) m.push('const: ' + JSON.stringify(s.const));
    return m.concat(['readOnly', 'writeOnly', 'deprecated'].filter((k) => s[k] === true));
  }
  function tree(x, seen = [], d = 0) {
    const [s, sn, loop] = walk(x, seen),
      name = refName(x);
    if (loop) return note('↻ ' + name + ' (recursive)');
    if (!s || d > 12) return note('any');
    const req = [].concat(s.required || []),
      sub = (l, y) => h('div', null, lbl(l), tree(y, sn, d + 1));
    const plain = (y) => {
      const z = deref(y);
      return (
        z &&
        !isRef(y) &&
        !z.properties &&
        !z.items &&
        !z.oneOf &&
        !z.anyOf &&
        !z.allOf &&
        !meta(z).length &&
        !z.description
      );
    };
    return h(
      'div',
      { class: 's' },
      h('span', { class: 't' }, label(s)),
      name && h('i', { class: 'x' }, name),
      meta(s).map((v) => note(v)),
      s.description && h('div', { class: 'x d' }, s.description),
      s.properties &&
        h(
          'ul',
          null,
          Object.keys(s.properties).map((k) =>
            h(
              'li',
              null,
              h('code', null, k),
              req.includes(k) && h('abbr', { class: 'r', title: 'required' }, '*'),
              ' ',
              tree(s.properties[k], sn, d + 1),
            ),
          ),
        ),
      typeof s.additionalProperties === 'object' && sub('[key: string]', s.additionalProperties),
      s.items && !plain(s.items) && sub('items:', s.items),
      ['allOf', 'anyOf', 'oneOf'].map(
        (c) =>
          Array.isArray(s[c]) &&
          h(
            'div',
            null,
            lbl(c + ':'),
            h(
              'ol',
              null,
              s[c].map((y) => h('li', null, tree(y, sn, d + 1))),
            ),
          ),
      ),
    );
  }
  const FMT = {
    'date-time': '2024-01-01T00:00:00Z',
    date: '2024-01-01',
    email: 'user@example.com',
    uuid: '00000000-0000-0000-0000-000000000000',
    uri: 'https://example.com',
  };
  function skel(x, seen = [], d = 0) {
    const [s, sn] = walk(x, seen);
    if (!s || d > 8) return null;
    for (const v of [s.example, (s.examples || [])[0], s.default, s.const, (s.enum || [])[0]])
      if (v !== undefined) return v;
    if (Array.isArray(s.allOf)) {
      const vs = s.allOf.map((y) => skel(y, sn, d + 1)).filter((v) => v !== null);
      return vs.every((v) => typeof v === 'object' && !Array.isArray(v)) ? Object.assign({}, ...vs) : vs[0];
    }
    for (const y of s.oneOf || s.anyOf || []) {
      const v = skel(y, sn, d + 1);
      if (v !== null) return v;
    }
    const t = types(s).filter((y) => y !== 'null')[0];
    if (t === 'object')
      return Object.fromEntries(
        Object.keys(s.properties || {})
          .filter((k) => !(deref(s.properties[k]) || {}).readOnly)
          .map((k) => [k, skel(s.properties[k], sn, d + 1)]),
      );
    if (t === 'array') {
      const v = skel(s.items, sn, d + 1);
      return v === null ? [] : [v];
    }
    if (t === 'string') return own(FMT, s.format) || 'string';
    return t === 'integer' || t === 'number'
      ? typeof s.minimum === 'number'
        ? s.minimum
        : 0
      : t === 'boolean'
        ? false
        : null;
  }
  function example(mt) {
    if (mt.example !== undefined) return mt.example;
    const e = deref(Object.values(mt.examples || {})[0]),
      s = deref(mt.schema);
    return e && e.value !== undefined ? e.value : s ? s.example : undefined;
  }
  const content = (c) =>
    Object.keys(c || {}).map((ct) => {
      const mt = c[ct] || {},
        ex = example(mt);
      return h(
        'div',
        null,
        lbl('Content-Type:'),
        h('code', null, ct),
        h('div', null, mt.schema && tree(mt.schema)),
        ex !== undefined && h('details', null, h('summary', null, 'Example'), h('pre', null, J(ex))),
      );
    });
  function security(op) {
    const req = op.security || spec.security,
      schemes = (spec.components || {}).securitySchemes;
    if (!Array.isArray(req) || !req.length) return 'none (public)';
    return req
      .map(
        (alt) =>
          Object.keys(alt || {})
            .map((k) => {
              const sc = deref(own(schemes, k)) || {};
              return (
                k +
                ' (' +
                [sc.type, sc.scheme, sc.bearerFormat, sc.in, sc.name].filter(Boolean).join(' ') +
                ')' +
                (alt[k] && alt[k].length ? ' [' + alt[k].join(', ') + ']' : '')
              );
            })
            .join(' + ') || 'none (optional)',
      )
      .join(' or ');
  }
  const pSchema = (p) => p.schema || (Object.values(p.content || {})[0] || {}).schema;
  const base = () => {
    // Only the server's path is kept, so Try-it always calls this origin.
    const u = ((spec.servers || [])[0] || {}).url;
    try {
      return new URL(u.replace(/\{[^}]*\}/g, ''), location.href).pathname.replace(/\/+$/, '');
    } catch (e) {
      return '';
    }
  };
  const sq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";

  function tryIt(x, params, rb) {
    const n = uid++,
      inputs = [],
      ct = Object.keys((rb || {}).content || {})[0] || 'application/json';
    const fields = params
      .filter((p) => p.in !== 'cookie')
      .map((p) => {
        const s = deref(pSchema(p)) || {},
          t = types(s)[0],
          id = 'f' + n + '-' + inputs.length;
        const el =
          Array.isArray(s.enum) || t === 'boolean'
            ? h(
                'select',
                { id },
                h('option', { value: '' }, '(unset)'),
                (s.enum || [true, false]).map((v) => h('option', null, String(v))),
              )
            : h('input', {
                id,
                placeholder: s.default !== undefined ? String(s.default) : t === 'array' ? 'a,b,c' : s.format || t,
                autocomplete: 'off',
                value: p.in === 'path' && p.example !== undefined ? String(p.example) : null,
              });
        inputs.push({ p, el, arr: t === 'array' });
        return h(
          'div',
          null,
          h('label', { for: id }, h('code', null, p.name), note(p.in + (p.required ? ', required' : ''))),
          el,
        );
      });
    let ta = null;
    if (rb) {
      const mt = (rb.content || {})[ct] || {},
        ex = example(mt) ?? skel(mt.schema);
      ta = h('textarea', { id: 'b' + n, spellcheck: 'false', rows: 8 });
      ta.value = typeof ex === 'string' && !/json/i.test(ct) ? ex : ex == null ? '' : J(ex);
    }
    const curl = h('pre', { 'aria-label': 'curl command' }),
      out = h('div', { role: 'status' });
    const send = h('button', null, 'Send'),
      cp = h('button', { type: 'button', click: () => copy(curl, cp) }, 'Copy curl');
    const build = () => {
      let path = x.path;
      const q = new URLSearchParams(),
        hd = [],
        missing = [],
        t = tok.value.trim();
      for (const { p, el, arr } of inputs) {
        const v = el.value.trim();
        if (!v) {
          if (p.required) missing.push(p.name);
          continue;
        }
        if (p.in === 'path') path = path.split('{' + p.name + '}').join(encodeURIComponent(v));
        else if (p.in === 'query') (arr ? v.split(',') : [v]).forEach((y) => q.append(p.name, y.trim()));
        else hd.push([p.name, v]);
      }
      if (t) hd.push(['Authorization', 'Bearer ' + t]);
      const body = ta && ta.value.trim() && !/^(get|head)$/.test(x.method) ? ta.value : null;
      if (body !== null) hd.push(['Content-Type', ct]);
      return { url: base() + path + (String(q) ? '?' + q : ''), method: up(x.method), headers: hd, body, missing };
    };
    const upd = () => {
      const r = build();
      curl.textContent =
        'curl -X ' +
        r.method +
        ' ' +
        sq(location.origin + r.url) +
        r.headers.map((p) => ' \\\n  -H ' + sq(p[0] + ': ' + p[1])).join('') +
        (r.body !== null ? ' \\\n  --data-raw ' + sq(r.body) : '');
    };
    const submit = async (ev) => {
      ev.preventDefault();
      const r = build();
      if (r.missing.length) return void (out.textContent = 'Missing required parameter(s): ' + r.missing.join(', '));
      if (r.body !== null && /json/i.test(ct))
        try {
          JSON.parse(r.body);
        } catch (e) {
          return void (out.textContent = 'Body is not valid JSON: ' + e.message);
        }
      out.textContent = 'Sending…';
      send.disabled = true;
      const t0 = performance.now();
      try {
        const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body ?? undefined });
        let txt = await res.text();
        const ms = Math.round(performance.now() - t0);
        try {
          txt = J(JSON.parse(txt));
        } catch (e) {}
        out.textContent = '';
        add(out, [
          h(
            'p',
            null,
            h('span', { class: 'c c' + String(res.status)[0] }, res.status + ' ' + res.statusText),
            ' · ' + ms + ' ms',
          ),
          h('h5', null, 'Response headers'),
          h('pre', null, [...res.headers].map((p) => p.join(': ')).join('\n')),
          h('h5', null, 'Response body'),
          h('pre', null, txt || '(empty)'),
        ]);
      } catch (e) {
        out.textContent = 'Request failed: ' + e.message;
      }
      send.disabled = false;
    };
    inputs.forEach(({ el }) => {
      el.oninput = el.onchange = upd;
    });
    if (ta) ta.oninput = upd;
    updaters.push(upd);
    upd();
    return h(
      'form',
      { submit, 'aria-label': 'Try ' + up(x.method) + ' ' + x.path },
      h('h4', { style: 'margin:0' }, 'Try it'),
      h('div', { class: 'f' }, fields),
      ta && [h('label', { for: ta.id }, 'Request body ', h('code', null, ct)), ta],
      h('p', null, send, cp),
      curl,
      out,
    );
  }
  function copy(pre, btn) {
    const done = () => {
      btn.textContent = 'Copied';
      setTimeout(() => {
        btn.textContent = 'Copy curl';
      }, 1500);
    };
    // Without the async clipboard (plain-http hosts) the text is selected for Ctrl+C instead.
    const sel = () => {
      getSelection().selectAllChildren(pre);
      btn.textContent = 'Selected — press Ctrl+C';
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(pre.textContent).then(done, sel);
    else sel();
  }
  function opEl(x) {
    const op = x.op,
      byKey = new Map(),
      rb = deref(op.requestBody),
      rs = op.responses || {};
    []
      .concat(x.item.parameters || [], op.parameters || [])
      .map(deref)
      .forEach((p) => p && p.name && byKey.set(p.in + ':' + p.name, p));
    const params = [...byKey.values()],
      id = 'op-' + (op.operationId || (x.method + x.path).replace(/[^\w-]+/g, '-'));
    const det = h(
      'details',
      { class: 'op', id, toggle: () => det.open && history.replaceState(null, '', '#' + encodeURIComponent(id)) },
      h(
        'summary',
        null,
        h(
          'h3',
          null,
          h('span', { class: 'm m-' + x.method }, up(x.method)),
          h('code', { class: 'p' }, x.path),
          note(op.summary),
          op.deprecated && h('span', { class: 'c4' }, ' deprecated'),
        ),
      ),
      h(
        'div',
        { class: 'b' },
        h(
          'p',
          { class: 'mut' },
          'operationId: ',
          h('code', null, op.operationId || '—'),
          ' · ',
          h('a', { href: '#' + encodeURIComponent(id) }, 'permalink'),
        ),
        op.description && h('p', { class: 'd' }, op.description),
        h('p', null, h('strong', null, 'Security: '), security(op)),
        params.length && [
          h('h4', null, 'Parameters'),
          h(
            'div',
            { class: 'tw' },
            h(
              'table',
              null,
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['Name', 'In', 'Type', 'Constraints', 'Description'].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
              h(
                'tbody',
                null,
                params.map((p) => {
                  const s = deref(pSchema(p)) || {};
                  return h(
                    'tr',
                    null,
                    h(
                      'td',
                      null,
                      h('code', null, p.name),
                      p.required && h('abbr', { class: 'r', title: 'required' }, '*'),
                    ),
                    h('td', null, p.in),
                    h('td', null, h('code', null, label(pSchema(p)))),
                    h('td', null, meta(s).join('; ')),
                    h('td', { class: 'd' }, p.description || s.description, p.deprecated && ' (deprecated)'),
                  );
                }),
              ),
            ),
          ),
        ],
        rb && [
          h('h4', null, 'Request body', rb.required && ' (required)'),
          rb.description && h('p', { class: 'd' }, rb.description),
          content(rb.content),
        ],
        h('h4', null, 'Responses'),
        Object.keys(rs).map((code) => {
          const r = deref(rs[code]) || {};
          return h(
            'div',
            null,
            h('p', null, h('span', { class: 'c c' + code[0] }, code), ' ', r.description),
            r.headers && h('div', null, lbl('Headers:'), Object.keys(r.headers).join(', ')),
            content(r.content),
          );
        }),
        tryIt(x, params, rb),
      ),
    );
    det.search = [x.method, x.path, op.summary, op.operationId]
      .concat(op.tags || [])
      .join(' ')
      .toLowerCase();
    return det;
  }
  function render() {
    const info = spec.info || {},
      groups = new Map(),
      main = $('main');
    const grp = (name, tag = {}) => groups.get(name) || groups.set(name, { name, tag, ops: [] }).get(name);
    document.title = (info.title || cfg.title) + ' — API reference';
    $('t').textContent = info.title || cfg.title;
    $('ver').textContent = [info.version && 'Version ' + info.version, spec.openapi && 'OpenAPI ' + spec.openapi]
      .filter(Boolean)
      .join(' · ');
    $('desc').textContent = info.description || '';
    (spec.tags || []).forEach((t) => t && typeof t.name === 'string' && grp(t.name, t));
    for (const path of Object.keys(spec.paths || {})) {
      const item = deref(spec.paths[path]) || {};
      // An operation is listed under its first tag only, so its #op- anchor stays unique.
      for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
        const op = own(item, method);
        if (op) grp(String((op.tags || [])[0] || 'default')).ops.push({ path, method, op, item });
      }
    }
    main.textContent = '';
    for (const g of groups.values()) {
      if (!g.ops.length) continue;
      const id = 'tag-' + g.name.replace(/[^\w-]+/g, '-');
      $('nav').append(h('a', { href: '#' + id }, g.name));
      main.append(
        h(
          'section',
          { id, 'aria-labelledby': id + 'h' },
          h('h2', { id: id + 'h' }, g.name),
          g.tag.description && h('p', { class: 'd mut' }, g.tag.description),
          g.ops.map(opEl),
        ),
      );
    }
    if (!main.firstChild) main.textContent = 'This API description has no operations.';
    filter();
    openHash();
  }
  function filter() {
    const terms = $('q').value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0,
      total = 0;
    for (const sec of document.querySelectorAll('main section')) {
      let any = false;
      for (const d of sec.querySelectorAll('.op')) {
        const ok = terms.every((t) => d.search.includes(t));
        d.hidden = !ok;
        any = any || ok;
        total++;
        shown += ok;
      }
      sec.hidden = !any;
    }
    $('count').textContent = shown + ' of ' + total + ' operations';
  }
  function openHash() {
    let el = null;
    try {
      el = $(decodeURIComponent(location.hash.slice(1)));
    } catch (e) {}
    if (el && el.tagName === 'DETAILS') {
      el.open = true;
      el.scrollIntoView();
    }
  }
  $('q').oninput = filter;
  window.onhashchange = openHash;
  fetch(cfg.specUrl, { headers: { Accept: 'application/json' } })
    .then((r) => {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then((s) => {
      spec = Object(s);
      $('raw').append(' · ', h('a', { href: new URL(cfg.specUrl, location.href).pathname }, 'OpenAPI JSON'));
      render();
    })
    .catch((e) => {
      $('main').textContent = 'Could not load the API description from ' + cfg.specUrl + ': ' + e.message;
    });
})();`;

export function renderReferencePage(opts: { title: string; specUrl: string }): string {
  const title = escapeHtml(opts.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to operations</a>
<header>
<h1 id="t">${title}</h1>
<p class="mut"><span id="ver"></span><span id="raw"></span></p>
<div id="desc" class="d"></div>
<nav id="nav" aria-label="Tags"></nav>
</header>
<div class="bar"><div>
<label>Bearer token (kept in this browser)<input id="tok" type="password" autocomplete="off" placeholder="Adds Authorization: Bearer … to requests"></label>
<label>Filter operations<input id="q" type="search" placeholder="Path, summary, operationId or tag"></label>
<span id="count" class="mut" role="status"></span>
</div></div>
<main id="main" tabindex="-1"><p>Loading API description…</p></main>
<script type="application/json" id="cfg">${scriptJson({ title: opts.title, specUrl: opts.specUrl })}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
