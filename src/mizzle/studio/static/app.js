/* mizzle studio: core (API calls, DOM helper, routing, toasts, modals). No build step, no dependencies. */
"use strict";

const S = (window.Studio = {
  info: null,
  tables: [],
  views: {},
  token: null,
});

(function token() {
  const params = new URLSearchParams(location.search);
  const t = params.get("token");
  if (t) {
    sessionStorage.setItem("mizzle-studio-token", t);
    history.replaceState(null, "", location.pathname + location.hash);
  }
  S.token = t || sessionStorage.getItem("mizzle-studio-token");
})();

/** Create an element: h("div", {class: "x", onclick: fn}, child, "text", ...). */
function h(tag, attrs, ...children) {
  const svg = ["svg", "g", "rect", "text", "line", "path", "circle", "tspan", "title", "marker", "defs"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.setAttribute("class", v);
    else if (k === "text") el.textContent = v;
    else if (k === "value" && !svg) el.value = v;
    else if (k === "checked" || k === "disabled" || k === "selected") el[k] = !!v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
S.h = h;

/** Call the JSON API; throws Error(message) with the server's words on failure. */
async function api(path, { method = "GET", body = null } = {}) {
  const headers = { "X-Mizzle-Token": S.token || "" };
  if (body !== null) headers["Content-Type"] = "application/json";
  const resp = await fetch(path, { method, headers, body: body === null ? null : JSON.stringify(body) });
  let data = null;
  try {
    data = await resp.json();
  } catch (e) {
    data = null;
  }
  if (!resp.ok) {
    const err = new Error((data && data.error) || `${resp.status} ${resp.statusText}`);
    err.status = resp.status;
    throw err;
  }
  return data;
}
S.api = api;

function qs(params) {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") continue;
    out.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return out.toString();
}
S.qs = qs;

function toast(message, kind = "info") {
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": `toast-${kind}` }, message);
  document.getElementById("toasts").append(el);
  setTimeout(() => el.classList.add("gone"), kind === "error" ? 7000 : 3000);
  setTimeout(() => el.remove(), kind === "error" ? 7600 : 3600);
}
S.toast = toast;

/** A modal dialog; returns {close}. `buttons`: [{label, kind, onclick}] */
function modal(title, body, buttons) {
  const root = document.getElementById("modal-root");
  const close = () => root.replaceChildren();
  const box = h("div", { class: "modal", role: "dialog", "aria-modal": "true", "data-testid": "modal" },
    h("div", { class: "modal-head" }, h("h3", {}, title), h("button", { class: "icon", onclick: close, "aria-label": "close" }, "✕")),
    h("div", { class: "modal-body" }, body),
    h("div", { class: "modal-foot" }, buttons.map((b) =>
      h("button", { class: b.kind || "", "data-testid": b.testid, onclick: () => b.onclick(close) }, b.label))));
  const back = h("div", { class: "backdrop", onclick: (e) => { if (e.target === back) close(); } }, box);
  root.replaceChildren(back);
  const onKey = (e) => { if (e.key === "Escape") { close(); document.removeEventListener("keydown", onKey); } };
  document.addEventListener("keydown", onKey);
  const first = box.querySelector("input, select, textarea, button.primary");
  if (first) first.focus();
  return { close };
}
S.modal = modal;

function fmtCount(n) {
  return n === null || n === undefined ? "?" : Number(n).toLocaleString("en-US");
}
S.fmtCount = fmtCount;

async function loadTables() {
  S.tables = await api("/api/tables");
  renderTableList();
}
S.loadTables = loadTables;

function renderTableList() {
  const ul = document.getElementById("tables");
  const term = document.getElementById("table-search").value.trim().toLowerCase();
  const current = S.route && S.route.view === "table" ? S.route.table : null;
  ul.replaceChildren(...S.tables.filter((t) => !term || t.name.toLowerCase().includes(term)).map((t) =>
    h("li", {},
      h("a", { href: `#/table/${encodeURIComponent(t.name)}`, class: t.name === current ? "active" : "",
               "data-testid": `table-link-${t.name}`, title: t.error || "" },
        h("span", { class: "tname" }, t.view ? `${t.name} (view)` : t.name),
        h("span", { class: t.error ? "count bad" : "count" }, t.error ? "missing" : fmtCount(t.rows))))));
}
S.renderTableList = renderTableList;

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, "").split("?")[0];
  const [head, ...rest] = hash.split("/");
  if (head === "table" && rest.length) return { view: "table", table: decodeURIComponent(rest.join("/")) };
  if (["sql", "schema", "migrations"].includes(head)) return { view: head };
  return { view: "home" };
}

async function route() {
  S.route = parseRoute();
  document.querySelectorAll(".nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === S.route.view));
  renderTableList();
  const main = document.getElementById("main");
  try {
    if (S.route.view === "table") await S.views.table(main, S.route.table);
    else if (S.views[S.route.view]) await S.views[S.route.view](main);
    else home(main);
  } catch (e) {
    main.replaceChildren(h("div", { class: "empty error" }, e.message));
  }
}
S.route = null;
S.go = (hash) => { if (location.hash === hash) route(); else location.hash = hash; };

function home(main) {
  main.replaceChildren(h("div", { class: "home" },
    h("h2", {}, "Welcome"),
    h("p", {}, `${S.tables.length} table(s) in the schema. Pick one on the left, run SQL, look at the schema or the migrations.`),
    h("div", { class: "cards" }, S.tables.map((t) =>
      h("a", { class: "card", href: `#/table/${encodeURIComponent(t.name)}` },
        h("div", { class: "card-title" }, t.name),
        h("div", { class: "muted" }, t.error ? t.error
          : `${t.view ? "view · read-only · " : ""}${fmtCount(t.rows)} rows · ${t.columns} columns`))))));
}

async function boot() {
  if (!S.token) {
    document.getElementById("main").replaceChildren(h("div", { class: "empty error" },
      "No studio token: open the URL that `mizzle studio` printed (it ends with ?token=…)."));
    return;
  }
  try {
    S.info = await api("/api/info");
  } catch (e) {
    document.getElementById("main").replaceChildren(h("div", { class: "empty error" }, e.message));
    return;
  }
  document.getElementById("conn").textContent = `${S.info.dialect} · ${S.info.url}`;
  document.getElementById("ro-badge").classList.toggle("hidden", !S.info.read_only);
  const warnings = S.info.warnings || [];  // superuser / FILE: the database cannot hold this account to reading
  const warn = document.getElementById("warn-badge");
  warn.classList.toggle("hidden", warnings.length === 0);
  warn.title = warnings.join("\n") + (S.info.read_only ? "\nThe read-only console is off; connect with a read-only role." : "");
  document.body.classList.toggle("read-only", S.info.read_only);
  document.getElementById("table-search").addEventListener("input", renderTableList);
  await loadTables();
  window.addEventListener("hashchange", route);
  await route();
}

document.addEventListener("DOMContentLoaded", () => setTimeout(boot, 0));
