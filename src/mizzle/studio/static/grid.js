/* mizzle studio: the data grid (browse, filter, sort, page, edit, insert, delete, related rows, export). */
"use strict";

(function () {
  const { h, api, qs, toast, modal, fmtCount } = window.Studio;
  const S = window.Studio;
  const OPS = [
    ["eq", "="], ["ne", "≠"], ["gt", ">"], ["gte", "≥"], ["lt", "<"], ["lte", "≤"],
    ["like", "like"], ["not_like", "not like"], ["ilike", "ilike"], ["not_ilike", "not ilike"],
    ["in", "in"], ["not_in", "not in"], ["is_null", "is null"], ["is_not_null", "is not null"],
  ];
  const NO_VALUE = ["is_null", "is_not_null"];
  let st = null; // the open table's state

  function hashFilters() {
    const q = location.hash.split("?")[1];
    if (!q) return [];
    try {
      return JSON.parse(new URLSearchParams(q).get("f") || "[]");
    } catch (e) {
      return [];
    }
  }

  S.views.table = async function (main, name) {
    name = name.split("?")[0];
    const meta = S.tables.find((t) => t.name === name);
    if (!meta) throw new Error(`no table ${name} in the schema`);
    st = { name, meta, filters: hashFilters(), sort: null, dir: "asc", limit: 50, offset: 0, page: null,
           selected: new Map(), total: null, main };
    await load({ count: true });
  };

  S.openTable = function (table, filters) {
    const f = filters && filters.length ? `?${new URLSearchParams({ f: JSON.stringify(filters) })}` : "";
    S.go(`#/table/${encodeURIComponent(table)}${f}`);
  };

  function baseParams() {
    return { limit: String(st.limit), sort: st.sort, dir: st.dir, filters: st.filters.length ? st.filters : null };
  }

  async function load({ count = false, offset = null, after = null, before = null, last = false } = {}) {
    const params = baseParams();
    if (count || st.total === null) params.count = "1";
    if (after) params.after = after;
    else if (before) params.before = before;
    else if (last) params.last = "1";
    else params.offset = String(offset !== null ? offset : 0);
    let page;
    try {
      page = await api(`/api/tables/${encodeURIComponent(st.name)}/rows?${qs(params)}`);
    } catch (e) {
      toast(e.message, "error");
      if (!st.page) st.main.replaceChildren(h("div", { class: "empty error" }, e.message));
      return;
    }
    if (page.total !== null && page.total !== undefined) st.total = page.total;
    if (page.offset !== null && page.offset !== undefined) st.offset = page.offset;
    else if (after) st.offset = st.offset + st.limit;
    else if (before) st.offset = Math.max(0, st.offset - st.limit);
    st.page = page;
    st.columns = page.columns;
    st.pk = page.columns.map((c, i) => (c.primary ? i : -1)).filter((i) => i >= 0);
    st.orderIdx = page.order.map((k) => page.columns.findIndex((c) => c.key === k));
    render();
  }

  const keyOf = (row) => st.pk.map((i) => row[i]);
  const editable = () => !S.info.read_only && st.pk.length > 0;

  // ---- rendering values ------------------------------------------------------------

  function fmtDate(iso, kind) {
    if (typeof iso !== "string") return String(iso);
    if (kind === "date" || kind === "time") return iso;
    const m = iso.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$/);
    if (!m) return iso;
    const zone = m[4] === "+00:00" || m[4] === "Z" ? " UTC" : m[4] ? ` ${m[4]}` : "";
    return `${m[1]} ${m[2]}${zone}`;
  }

  function blobText(v) {
    const size = v.$blob;
    const unit = size >= 1048576 ? `${(size / 1048576).toFixed(1)} MB` : size >= 1024 ? `${(size / 1024).toFixed(1)} KB` : `${size} B`;
    return `${unit} · 0x${v.hex}${size > v.hex.length / 2 ? "…" : ""}`;
  }

  function renderValue(col, v, { full = false } = {}) {
    if (v === null || v === undefined) return h("span", { class: "null" }, "NULL");
    if (typeof v === "object" && v.$raw !== undefined) {  // the column cannot decode the stored value: show it raw
      return h("span", { class: "raw", title: v.error, "data-testid": "raw-value" }, `⚠ ${v.$raw}`);
    }
    switch (col.kind) {
      case "boolean":
        return h("span", { class: `toggle ${v ? "on" : ""}`, role: "switch", "aria-checked": String(!!v), title: String(v) });
      case "datetime": case "date": case "time":
        return h("span", { class: "date", title: v }, fmtDate(v, col.kind));
      case "json":
        return full ? h("pre", { class: "json" }, JSON.stringify(v, null, 2))
          : h("span", { class: "json", title: JSON.stringify(v, null, 2) }, JSON.stringify(v));
      case "enum":
        return h("span", { class: "pill" }, v);
      case "blob":
        return h("span", { class: "blob", title: `${v.$blob} bytes` }, blobText(v));
      case "number": case "decimal":
        return h("span", { class: "num" }, String(v));
      default:
        return h("span", { class: "text", title: String(v).length > 60 ? String(v) : null }, String(v));
    }
  }
  S.renderValue = renderValue;

  // ---- the page ------------------------------------------------------------------------

  function render() {
    const page = st.page;
    const cols = page.columns;
    const total = st.total;
    const pages = total === null ? null : Math.max(1, Math.ceil(total / st.limit));
    const pageNo = Math.floor(st.offset / st.limit) + 1;
    const selected = st.selected.size;
    const head = h("div", { class: "toolbar" },
      h("h2", { "data-testid": "grid-title" }, st.name),
      h("span", { class: "muted", "data-testid": "grid-total" }, `${fmtCount(total)} rows${st.filters.length ? " (filtered)" : ""}`),
      h("span", { class: "spacer" }),
      h("button", { onclick: () => addFilter(), "data-testid": "add-filter" }, "+ Filter"),
      h("button", { onclick: () => load({ count: true, offset: st.offset }), title: "reload" }, "↻"),
      editable() ? h("button", { class: "primary", onclick: insertForm, "data-testid": "insert-row" }, "+ Row") : null,
      editable() ? h("button", { class: "danger", disabled: !selected, onclick: confirmDelete, "data-testid": "delete-rows" },
        `Delete${selected ? ` (${selected})` : ""}`) : null,
      h("a", { class: "button", href: exportUrl("csv"), "data-testid": "export-csv", download: `${st.name}.csv` }, "CSV"),
      h("a", { class: "button", href: exportUrl("json"), "data-testid": "export-json", download: `${st.name}.json` }, "JSON"));
    const notes = [];
    if (!st.pk.length) notes.push(h("div", { class: "note" }, "This table has no primary key: rows can be browsed but not edited."));
    const filters = h("div", { class: "filters", "data-testid": "filters" }, st.filters.map((f, i) => filterRow(f, i)));
    const table = h("table", { class: "grid", "data-testid": "grid" },
      h("thead", {}, h("tr", {},
        h("th", { class: "sel" }, editable() ? h("input", { type: "checkbox", "aria-label": "select all",
          checked: page.rows.length > 0 && page.rows.every((r) => st.selected.has(JSON.stringify(keyOf(r)))),
          onchange: (e) => { page.rows.forEach((r) => toggleSel(r, e.target.checked)); render(); } }) : null),
        cols.map((c) => h("th", { class: `${c.kind}${st.sort === c.key ? " sorted" : ""}`, "data-col": c.key,
          "data-testid": `col-${c.key}`, onclick: () => sortBy(c.key), title: `${c.sql_type}${c.not_null ? " not null" : ""}` },
          h("span", {}, c.name), c.primary ? h("span", { class: "key pk", title: "primary key" }, "PK") : null,
          c.fk ? h("span", { class: "key", title: `→ ${c.fk.table}` }, "↗") : null,
          h("span", { class: "arrow" }, st.sort === c.key ? (st.dir === "asc" ? "▲" : "▼") : ""))))),
      h("tbody", {}, page.rows.length ? page.rows.map((r, ri) => rowEl(r, ri)) :
        h("tr", {}, h("td", { colspan: cols.length + 1, class: "empty" }, "No rows"))));
    const pager = h("div", { class: "pager", "data-testid": "pager" },
      h("button", { disabled: st.offset === 0, onclick: () => load({ offset: 0 }), "data-testid": "page-first" }, "« First"),
      h("button", { disabled: st.offset === 0, onclick: () => prevPage(), "data-testid": "page-prev" }, "◀ Prev"),
      h("span", {}, "Page ",
        h("input", { type: "number", min: 1, max: pages || null, value: pageNo, class: "page-input", "data-testid": "page-input",
          onchange: (e) => { const n = Math.max(1, Math.min(pages || 1, Number(e.target.value) || 1)); load({ offset: (n - 1) * st.limit }); } }),
        ` of ${pages === null ? "?" : fmtCount(pages)}`),
      h("button", { disabled: page.rows.length < st.limit || (total !== null && st.offset + st.limit >= total),
        onclick: () => nextPage(), "data-testid": "page-next" }, "Next ▶"),
      h("button", { disabled: total === null || st.offset + st.limit >= total, onclick: () => load({ last: true }), "data-testid": "page-last" }, "Last »"),
      h("select", { onchange: (e) => { st.limit = Number(e.target.value); load({ offset: 0 }); }, "aria-label": "rows per page" },
        [25, 50, 100, 250, 500].map((n) => h("option", { value: n, selected: n === st.limit }, `${n} / page`))),
      h("span", { class: "muted", title: "keyset: pages start from the last key seen (fast at any depth)" },
        page.keyset ? "keyset paging" : "offset paging"));
    st.main.replaceChildren(h("div", { class: "data" }, head, notes, filters, h("div", { class: "grid-wrap" }, table), pager));
  }

  function exportUrl(fmt) {
    const p = { format: fmt, sort: st.sort, dir: st.dir, filters: st.filters.length ? st.filters : null };
    return `/api/tables/${encodeURIComponent(st.name)}/export?${qs(p)}`;
  }

  function toggleSel(row, on) {
    const k = JSON.stringify(keyOf(row));
    if (on) st.selected.set(k, keyOf(row)); else st.selected.delete(k);
  }

  function rowEl(row, ri) {
    const k = JSON.stringify(keyOf(row));
    return h("tr", { "data-row": ri, class: st.selected.has(k) ? "selected" : "" },
      h("td", { class: "sel" },
        editable() ? h("input", { type: "checkbox", checked: st.selected.has(k), "aria-label": "select row", "data-testid": `select-${ri}`,
          onchange: (e) => { toggleSel(row, e.target.checked); render(); } }) : null,
        st.pk.length ? h("button", { class: "icon open", title: "open row with related rows", "data-testid": `open-${ri}`,
          onclick: () => openRow(row) }, "⤢") : null),
      st.columns.map((c, ci) => cellEl(row, ri, c, ci)));
  }

  function cellEl(row, ri, col, ci) {
    const v = row[ci];
    const td = h("td", { class: `cell ${col.kind}`, "data-testid": `cell-${ri}-${col.key}`,
      ondblclick: () => { if (editable() && !col.generated) editCell(td, row, col, ci); } }, renderValue(col, v));
    if (col.kind === "boolean" && v !== null && editable()) {
      td.firstChild.addEventListener("click", () => save(row, col, !v));
      td.firstChild.classList.add("clickable");
    }
    if (col.fk && v !== null) {
      td.append(h("a", { class: "fk", href: "#", title: `open ${col.fk.table} where ${col.fk.column} = ${v}`,
        "data-testid": `fk-${ri}-${col.key}`,
        onclick: (e) => { e.preventDefault(); S.openTable(col.fk.table, [{ column: col.fk.column, op: "eq", value: v }]); } }, "→"));
    }
    return td;
  }

  // ---- editing ------------------------------------------------------------------------------

  function editorFor(col, v) {
    const kind = col.kind;
    if (kind === "enum") {
      return h("select", {}, (col.not_null ? [] : [h("option", { value: "__null__" }, "NULL")]),
        col.enum.map((o) => h("option", { value: o, selected: o === v }, o)));
    }
    if (kind === "boolean") {
      return h("select", {}, col.not_null ? null : h("option", { value: "__null__", selected: v === null }, "NULL"),
        h("option", { value: "true", selected: v === true }, "true"), h("option", { value: "false", selected: v === false }, "false"));
    }
    if (v && typeof v === "object" && v.$raw !== undefined) v = null;  // an undecodable value: typed anew
    if (kind === "json") return h("textarea", { rows: 6, value: v === null || v === undefined ? "" : JSON.stringify(v, null, 2) });
    if (kind === "datetime") return h("input", { type: "datetime-local", step: 1, value: typeof v === "string" ? v.slice(0, 19) : "" });
    if (kind === "date") return h("input", { type: "date", value: v || "" });
    if (kind === "time") return h("input", { type: "time", step: 1, value: v || "" });
    if (kind === "number") return h("input", { type: "number", step: "any", value: v === null || v === undefined ? "" : v });
    if (kind === "blob") return h("input", { type: "text", placeholder: "hex bytes, e.g. 0a1bff", value: v && v.b64 ? hexOf(v.b64) : "" });
    return h("input", { type: "text", value: v === null || v === undefined ? "" : v });
  }

  function hexOf(b64) {
    return Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  }

  /** The value an editor holds, in the JSON form the API takes (throws on bad JSON). */
  function editorValue(col, el, original) {
    const raw = el.value;
    if (raw === "__null__") return null;
    if (col.kind === "boolean") return raw === "true";
    if (col.kind === "json") return raw.trim() === "" ? null : JSON.parse(raw);
    if (raw === "" && !col.not_null && col.kind !== "text") return null;
    if (col.kind === "datetime") {
      const zone = typeof original === "string" ? (original.match(/(Z|[+-]\d{2}:\d{2})$/) || [""])[0] : "";
      return raw.length === 16 ? `${raw}:00${zone}` : `${raw}${zone}`;
    }
    if (col.kind === "number") return raw === "" ? null : Number(raw);
    return raw;
  }

  function editCell(td, row, col, ci) {
    if (td.querySelector(".editor")) return;
    const input = editorFor(col, row[ci]);
    input.classList.add("editor");
    input.setAttribute("data-testid", "cell-editor");
    const done = async (commit) => {
      if (!commit) { render(); return; }
      let value;
      try {
        value = editorValue(col, input, row[ci]);
      } catch (e) {
        toast(`${col.name}: not valid JSON (${e.message})`, "error");
        return;
      }
      await save(row, col, value);
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") done(false);
      else if (e.key === "Enter" && (col.kind !== "json" || e.ctrlKey || e.metaKey)) { e.preventDefault(); done(true); }
    });
    const nullBtn = col.not_null ? null : h("button", { class: "small", title: "set NULL", onclick: () => save(row, col, null) }, "NULL");
    td.replaceChildren(h("div", { class: "edit-box" }, input,
      h("div", { class: "edit-actions" },
        h("button", { class: "small primary", onclick: () => done(true), "data-testid": "cell-save" }, "Save"),
        nullBtn, h("button", { class: "small", onclick: () => done(false) }, "Cancel"))));
    input.focus();
    if (input.select) input.select();
  }

  async function save(row, col, value) {
    try {
      await api(`/api/tables/${encodeURIComponent(st.name)}/update`, { method: "POST", body: { key: keyOf(row), values: { [col.key]: value } } });
      toast(`${st.name}.${col.name} saved`, "ok");
    } catch (e) {
      toast(e.message, "error");
    }
    await load({ offset: st.offset });
  }

  // ---- paging, sorting, filtering ---------------------------------------------------------------

  const cursor = (row) => st.orderIdx.map((i) => row[i]);

  function nextPage() {
    const rows = st.page.rows;
    if (st.page.keyset && rows.length) load({ after: cursor(rows[rows.length - 1]) });
    else load({ offset: st.offset + st.limit });
  }

  function prevPage() {
    const rows = st.page.rows;
    if (st.page.keyset && rows.length && st.offset - st.limit > 0) load({ before: cursor(rows[0]) });
    else load({ offset: Math.max(0, st.offset - st.limit) });
  }

  function sortBy(key) {
    if (st.sort === key) st.dir = st.dir === "asc" ? "desc" : "asc";
    else { st.sort = key; st.dir = "asc"; }
    load({ offset: 0 });
  }

  function addFilter() {
    st.filters.push({ column: st.columns[0].key, op: "eq", value: "", draft: true });
    render();
    const inputs = st.main.querySelectorAll(".filter .fvalue");
    if (inputs.length) inputs[inputs.length - 1].focus();
  }

  function applyFilters() {
    st.filters = st.filters.map((f) => ({ column: f.column, op: f.op, value: f.value }));
    st.selected.clear();
    load({ count: true, offset: 0 });
  }

  function filterRow(f, i) {
    const col = st.columns.find((c) => c.key === f.column) || st.columns[0];
    const value = NO_VALUE.includes(f.op) ? null : col.kind === "enum" && !["like", "not_like", "ilike", "not_ilike", "in", "not_in"].includes(f.op)
      ? h("select", { class: "fvalue", "data-testid": `filter-value-${i}`, onchange: (e) => { f.value = e.target.value; } },
        col.enum.map((o) => h("option", { value: o, selected: o === f.value }, o)))
      : h("input", { class: "fvalue", "data-testid": `filter-value-${i}`, value: f.value === null || f.value === undefined ? "" : String(f.value),
        placeholder: f.op.endsWith("in") ? "a, b, c" : f.op.includes("like") ? "%text%" : "value",
        oninput: (e) => { f.value = e.target.value; }, onkeydown: (e) => { if (e.key === "Enter") applyFilters(); } });
    if (col.kind === "enum" && value && value.tagName === "SELECT" && !col.enum.includes(f.value)) f.value = col.enum[0];
    return h("div", { class: "filter", "data-testid": `filter-${i}` },
      h("select", { "data-testid": `filter-col-${i}`, onchange: (e) => { f.column = e.target.value; render(); } },
        st.columns.map((c) => h("option", { value: c.key, selected: c.key === f.column }, c.name))),
      h("select", { "data-testid": `filter-op-${i}`, onchange: (e) => { f.op = e.target.value; render(); } },
        OPS.map(([op, label]) => h("option", { value: op, selected: op === f.op }, label))),
      value,
      h("button", { class: "primary small", onclick: applyFilters, "data-testid": `filter-apply-${i}` }, "Apply"),
      h("button", { class: "icon", title: "remove filter", onclick: () => { st.filters.splice(i, 1); applyFilters(); } }, "✕"));
  }

  // ---- insert / delete ------------------------------------------------------------------------

  function insertForm() {
    const fields = st.columns.filter((c) => !c.generated).map((c) => {
      const input = editorFor(c, c.default && c.default.value !== undefined ? c.default.value : null);
      input.setAttribute("data-testid", `insert-${c.key}`);
      const hasDefault = !!c.default || !c.not_null;
      const useDefault = h("input", { type: "checkbox", checked: hasDefault, "data-testid": `insert-default-${c.key}`,
        onchange: () => input.classList.toggle("defaulted", useDefault.checked) });
      input.classList.toggle("defaulted", hasDefault);
      const touched = () => { useDefault.checked = false; input.classList.remove("defaulted"); };
      input.addEventListener("input", touched);
      input.addEventListener("change", touched);
      const wrap = h("div", { class: "field" },
        h("label", {}, h("b", {}, c.name), h("span", { class: "muted" }, ` ${c.sql_type}${c.not_null ? " · required" : ""}${c.primary ? " · key" : ""}`)),
        h("div", { class: "field-input" }, input),
        hasDefault ? h("label", { class: "use-default" }, useDefault,
          ` use default: ${c.default ? c.default.text : "NULL"}`) : null);
      return { c, input, useDefault: hasDefault ? useDefault : null, wrap };
    });
    modal(`Insert into ${st.name}`, h("div", { class: "form" }, fields.map((f) => f.wrap)), [
      { label: "Cancel", onclick: (close) => close() },
      { label: "Insert", kind: "primary", testid: "insert-submit", onclick: async (close) => {
        const values = {};
        try {
          for (const f of fields) {
            if (f.useDefault && f.useDefault.checked) continue;
            values[f.c.key] = editorValue(f.c, f.input, null);
          }
        } catch (e) {
          toast(`not valid JSON: ${e.message}`, "error");
          return;
        }
        try {
          await api(`/api/tables/${encodeURIComponent(st.name)}/insert`, { method: "POST", body: { values } });
        } catch (e) {
          toast(e.message, "error");
          return;
        }
        close();
        toast(`row inserted into ${st.name}`, "ok");
        await S.loadTables();
        await load({ count: true, offset: st.offset });
      } },
    ]);
  }

  async function confirmDelete() {
    const keys = Array.from(st.selected.values());
    let preview;
    try {
      preview = await api(`/api/tables/${encodeURIComponent(st.name)}/delete-preview`, { method: "POST", body: { keys } });
    } catch (e) {
      toast(e.message, "error");
      return;
    }
    const body = h("div", { "data-testid": "delete-summary" },
      h("p", {}, h("b", {}, `Delete ${preview.count} row(s) of ${st.name}?`)),
      preview.summary.length > 1 ? h("ul", {}, preview.summary.slice(1).map((s) => h("li", { class: s.startsWith("blocked") ? "bad" : "" }, s))) :
        h("p", { class: "muted" }, "No other rows reference them."),
      preview.blocked ? h("p", { class: "bad" }, "The database will refuse this delete while those rows exist.") : null);
    modal("Confirm delete", body, [
      { label: "Cancel", onclick: (close) => close() },
      { label: `Delete ${preview.count} row(s)`, kind: "danger", testid: "delete-confirm", onclick: async (close) => {
        try {
          const res = await api(`/api/tables/${encodeURIComponent(st.name)}/delete`, { method: "POST", body: { keys } });
          toast(`deleted ${res.deleted} row(s)`, "ok");
          st.selected.clear();
        } catch (e) {
          toast(e.message, "error");
        }
        close();
        await S.loadTables();
        await load({ count: true, offset: st.offset });
      } },
    ]);
  }

  // ---- a row and its related rows --------------------------------------------------------------

  async function openRow(row) {
    let data;
    try {
      data = await api(`/api/tables/${encodeURIComponent(st.name)}/row?${qs({ key: keyOf(row) })}`);
    } catch (e) {
      toast(e.message, "error");
      return;
    }
    const fields = h("dl", { class: "fields" }, st.columns.map((c, i) => [h("dt", {}, c.name), h("dd", {}, renderValue(c, data.row[i], { full: true }))]));
    const groups = data.related.map((g) => {
      const target = S.tables.find((t) => t.name === g.table);
      return h("div", { class: "related", "data-testid": `related-${g.table}` },
        h("div", { class: "related-head" },
          h("b", {}, g.names.join(", ")), h("span", { class: "muted" }, ` ${g.kind === "one" ? "→" : "←"} ${g.table} · ${g.source}${g.through ? ` through ${g.through}` : ""} · ${g.count} row(s)`),
          g.filters.length && target ? h("button", { class: "small", onclick: () => { document.getElementById("modal-root").replaceChildren(); S.openTable(g.table, g.filters); } }, "open") : null),
        g.rows.length ? h("table", { class: "mini" }, h("tr", {}, g.columns.map((c) => h("th", {}, c))),
          g.rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v)))))) : null);
    });
    modal(`${st.name} ${JSON.stringify(keyOf(row))}`, h("div", { class: "row-detail", "data-testid": "row-detail" }, fields,
      h("h4", {}, "Related rows"), groups.length ? groups : h("p", { class: "muted" }, "No relations or foreign keys.")),
      [{ label: "Close", onclick: (close) => close() }]);
  }
})();
