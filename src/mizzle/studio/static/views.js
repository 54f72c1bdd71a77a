/* mizzle studio: SQL console, schema view with an ER diagram (SVG), migrations view. */
"use strict";

(function () {
  const { h, api, toast } = window.Studio;
  const S = window.Studio;
  const HISTORY_KEY = "mizzle-studio-history";

  // ---- SQL console ---------------------------------------------------------------------------

  function history() {
    try {
      return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function remember(text) {
    const items = history().filter((x) => x !== text);
    items.unshift(text);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, 50)));
  }

  function cellText(v) {
    if (v === null || v === undefined) return h("span", { class: "null" }, "NULL");
    if (typeof v === "object" && v.$blob !== undefined) return `${v.$blob} B · 0x${v.hex}`;
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  S.views.sql = async function (main) {
    const first = S.tables[0] ? S.tables[0].name : "";
    const q = S.info.dialect === "mysql" ? "`" : '"';
    const editor = h("textarea", { class: "sql-input", spellcheck: "false", "data-testid": "sql-input",
      value: history()[0] || (first ? `select * from ${q}${first}${q} limit 20` : "select 1") });
    const out = h("div", { class: "sql-out", "data-testid": "sql-result" });
    const hist = h("ul", { class: "history", "data-testid": "sql-history" });
    const renderHistory = () => hist.replaceChildren(...history().map((t) =>
      h("li", { title: t, onclick: () => { editor.value = t; editor.focus(); } }, t.length > 90 ? `${t.slice(0, 90)}…` : t)));
    const run = async () => {
      const text = editor.value.trim();
      if (!text) return;
      remember(text);
      renderHistory();
      out.replaceChildren(h("div", { class: "muted" }, "Running…"));
      let res;
      try {
        res = await api("/api/sql", { method: "POST", body: { sql: text } });
      } catch (e) {
        out.replaceChildren(h("div", { class: "error-box", "data-testid": "sql-error" }, e.message));
        return;
      }
      if (!res.columns.length) {
        out.replaceChildren(h("div", { class: "ok-box" }, `Done in ${res.ms} ms${res.affected !== null ? ` · ${res.affected} row(s) affected` : ""}`));
        S.loadTables();
        return;
      }
      out.replaceChildren(
        h("div", { class: "muted" }, `${res.rows.length} row(s)${res.truncated ? " (first 1000 shown)" : ""} in ${res.ms} ms`),
        h("div", { class: "grid-wrap" }, h("table", { class: "grid" },
          h("thead", {}, h("tr", {}, res.columns.map((c) => h("th", {}, c)))),
          h("tbody", {}, res.rows.map((r) => h("tr", {}, r.map((v) => h("td", { class: "cell" }, cellText(v)))))))));
    };
    editor.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
    renderHistory();
    main.replaceChildren(h("div", { class: "sql" },
      h("div", { class: "toolbar" }, h("h2", {}, "SQL console"),
        h("span", { class: "muted" }, S.info.read_only ? "read-only: SELECT only, in a read-only transaction" : "one statement, run in a transaction"),
        h("span", { class: "spacer" }),
        h("button", { class: "primary", onclick: run, "data-testid": "sql-run" }, "Run ⌃↵")),
      h("div", { class: "sql-layout" }, h("div", { class: "sql-main" }, editor, out),
        h("div", { class: "sql-side" }, h("div", { class: "side-title" }, "History (this browser)"), hist,
          h("button", { class: "small", onclick: () => { localStorage.removeItem(HISTORY_KEY); renderHistory(); } }, "Clear")))));
    editor.focus();
  };

  // ---- schema + ER diagram ---------------------------------------------------------------------

  function erDiagram(tables) {
    const W = 220, ROW = 18, HEAD = 26, GAP_X = 70, GAP_Y = 40;
    const cols = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(tables.length))));
    const pos = {};
    const heights = tables.map((t) => HEAD + t.columns.length * ROW + 8);
    const rowsN = Math.ceil(tables.length / cols);
    const rowH = [];
    for (let r = 0; r < rowsN; r++) rowH.push(Math.max(...heights.slice(r * cols, r * cols + cols)));
    tables.forEach((t, i) => {
      const c = i % cols, r = Math.floor(i / cols);
      const y = 10 + rowH.slice(0, r).reduce((a, b) => a + b + GAP_Y, 0);
      pos[t.name] = { x: 10 + c * (W + GAP_X), y, h: heights[i], t };
    });
    const width = 20 + cols * W + (cols - 1) * GAP_X;
    const height = 20 + rowH.reduce((a, b) => a + b + GAP_Y, 0);
    const colY = (p, name) => p.y + HEAD + Math.max(0, p.t.columns.findIndex((c) => c.name === name)) * ROW + ROW / 2 + 2;
    const lines = [];
    for (const t of tables) {
      for (const fk of t.foreign_keys) {
        const a = pos[t.name], b = pos[fk.table];
        if (!a || !b) continue;
        const y1 = colY(a, fk.columns[0]), y2 = colY(b, fk.foreign_columns[0]);
        let x1, x2, d;
        if (a === b) {
          x1 = a.x + W; x2 = a.x + W;
          d = `M${x1},${y1} C${x1 + 40},${y1} ${x2 + 40},${y2} ${x2},${y2}`;
        } else {
          const right = b.x > a.x + 1;
          x1 = right ? a.x + W : a.x; x2 = right ? b.x : b.x + W;
          if (Math.abs(b.x - a.x) < 1) { x1 = a.x + W; x2 = b.x + W; }
          const bend = Math.abs(b.x - a.x) < 1 ? 50 : (x2 - x1) / 2;
          d = `M${x1},${y1} C${x1 + (Math.abs(b.x - a.x) < 1 ? bend : bend)},${y1} ${x2 - (Math.abs(b.x - a.x) < 1 ? -bend : bend)},${y2} ${x2},${y2}`;
        }
        lines.push(h("path", { d, class: "er-link", "marker-end": "url(#er-arrow)" },
          h("title", {}, `${t.name}(${fk.columns.join(", ")}) → ${fk.table}(${fk.foreign_columns.join(", ")})${fk.on_delete ? ` on delete ${fk.on_delete}` : ""}`)));
      }
    }
    const boxes = tables.map((t) => {
      const p = pos[t.name];
      const fkCols = new Set(t.foreign_keys.flatMap((f) => f.columns));
      return h("g", { class: "er-table", "data-testid": `er-${t.name}` },
        h("rect", { x: p.x, y: p.y, width: W, height: p.h, rx: 6, class: "er-box" }),
        h("rect", { x: p.x, y: p.y, width: W, height: HEAD, rx: 6, class: "er-head" }),
        h("text", { x: p.x + 10, y: p.y + 17, class: "er-title" }, t.name),
        t.columns.map((c, i) => h("text", { x: p.x + 10, y: p.y + HEAD + i * ROW + 14, class: `er-col${c.primary ? " pk" : ""}` },
          h("tspan", {}, `${c.primary ? "PK " : fkCols.has(c.name) ? "FK " : ""}${c.name}`),
          h("tspan", { x: p.x + W - 10, "text-anchor": "end", class: "er-type" }, `${c.sql_type}${c.not_null ? "" : "?"}`))));
    });
    return h("svg", { class: "er", viewBox: `0 0 ${width} ${height}`, width, height, "data-testid": "er-diagram", role: "img",
      "aria-label": "entity-relationship diagram" },
      h("defs", {}, h("marker", { id: "er-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        h("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "er-arrowhead" }))),
      lines, boxes);
  }

  S.views.schema = async function (main) {
    const data = await api("/api/schema");
    const cards = data.tables.map((t) => h("section", { class: "schema-card", id: `schema-${t.name}` },
      h("h3", {}, h("a", { href: `#/table/${encodeURIComponent(t.name)}` }, t.name), h("span", { class: "muted" }, ` class ${t.class}`)),
      h("table", { class: "mini cols" }, h("tr", {}, ["column", "type", "null", "default", "key"].map((x) => h("th", {}, x))),
        t.columns.map((c) => h("tr", {},
          h("td", {}, h("b", {}, c.name), c.key !== c.name ? h("span", { class: "muted" }, ` (${c.key})`) : null),
          h("td", {}, c.sql_type, c.mode && !["number", "text"].includes(c.mode) ? h("span", { class: "muted" }, ` ${c.mode}`) : null,
            c.enum ? h("span", { class: "muted" }, ` {${c.enum.join(", ")}}`) : null),
          h("td", {}, c.not_null ? "not null" : "null"),
          h("td", {}, c.default ? c.default.text : ""),
          h("td", {}, [c.primary ? "PK" : "", c.unique ? "unique" : "", c.fk ? `→ ${c.fk.table}.${c.fk.column}` : ""].filter(Boolean).join(" · "))))),
      t.indexes.length ? h("div", {}, h("h4", {}, "Indexes"), h("ul", {}, t.indexes.map((ix) =>
        h("li", {}, `${ix.unique ? "unique " : ""}${ix.name} (${ix.columns.join(", ")})${ix.where ? ` where ${ix.where}` : ""}`)))) : null,
      t.uniques.length ? h("div", {}, h("h4", {}, "Unique"), h("ul", {}, t.uniques.map((u) => h("li", {}, `${u.name || "(unnamed)"} (${u.columns.join(", ")})`)))) : null,
      t.foreign_keys.length ? h("div", {}, h("h4", {}, "Foreign keys"), h("ul", {}, t.foreign_keys.map((f) =>
        h("li", {}, `${f.name}: (${f.columns.join(", ")}) → ${f.table}(${f.foreign_columns.join(", ")})${f.on_delete ? ` on delete ${f.on_delete}` : ""}`)))) : null,
      t.checks.length ? h("div", {}, h("h4", {}, "Checks"), h("ul", {}, t.checks.map((c) => h("li", {}, `${c.name}: ${c.expr}`)))) : null,
      t.relations.length ? h("div", {}, h("h4", {}, "Relations"), h("ul", {}, t.relations.map((r) =>
        h("li", {}, `${r.name}: ${r.kind} ${r.table}${r.through ? ` through ${r.through}` : ""}`)))) : null));
    main.replaceChildren(h("div", { class: "schema" },
      h("div", { class: "toolbar" }, h("h2", {}, "Schema"), h("span", { class: "muted" }, `${data.tables.length} tables · ${data.dialect}`)),
      h("div", { class: "er-wrap" }, erDiagram(data.tables)),
      h("div", { class: "schema-cards" }, cards)));
  };

  // ---- migrations ------------------------------------------------------------------------------

  function statementList(items) {
    return h("ul", { class: "stmts" }, items.map((s) => h("li", { class: `stmt ${s.style}` },
      h("span", { class: "action" }, s.action), " ", h("b", {}, s.target), s.detail ? h("span", { class: "muted" }, ` — ${s.detail}`) : null)));
  }

  S.views.migrations = async function (main) {
    main.replaceChildren(h("div", { class: "muted pad" }, "Reading the migrations folder and planning push…"));
    const data = await api("/api/migrations");
    const s = data.status;
    const status = h("section", { class: "panel", "data-testid": "migrations-status" },
      h("h3", {}, "Migrations"),
      h("p", {}, s.folder ? h("code", {}, s.folder) : null, " ",
        h("span", { class: "pill ok" }, `${s.applied || 0} applied`), " ",
        h("span", { class: `pill ${s.pending ? "warn" : "ok"}`, "data-testid": "pending-count" }, `${s.pending || 0} pending`)),
      s.errors.map((e) => h("div", { class: "error-box" }, e)),
      s.notes.map((n) => h("div", { class: "note" }, n)),
      s.migrations.length ? h("table", { class: "mini migrations" },
        h("tr", {}, ["", "migration", "created", "statements", "hash"].map((x) => h("th", {}, x))),
        s.migrations.map((m) => h("tr", { class: m.applied ? "applied" : "pending", "data-testid": `migration-${m.tag}` },
          h("td", {}, h("span", { class: `pill ${m.applied ? "ok" : "warn"}` }, m.applied ? "applied" : "pending")),
          h("td", {}, h("details", {}, h("summary", {}, m.tag), h("pre", { class: "sql-text" }, m.sql))),
          h("td", {}, m.when), h("td", {}, String(m.statements)), h("td", {}, h("code", {}, m.hash))))) : h("p", { class: "muted" }, "No migrations in the folder."),
      s.unknown.length ? h("div", { class: "error-box" }, `The database recorded ${s.unknown.length} migration(s) this folder lacks: `,
        s.unknown.map((u) => `${u.hash}… (${u.created_at})`).join(", ")) : null);
    const d = data.drift;
    const drift = h("section", { class: "panel", "data-testid": "drift" },
      h("h3", {}, "Schema code vs. migrations folder"),
      !d.available ? h("div", { class: "note" }, d.reason) : d.in_sync ? h("p", { class: "ok-text" }, "✓ Every schema change is in a migration.") :
        h("div", {}, h("p", {}, `${d.statements.length} change(s) not in any migration yet — run `, h("code", {}, "mizzle generate"), ":"),
          statementList(d.statements),
          d.lossy.length ? h("div", { class: "warn-box" }, "Data loss: ", d.lossy.join("; ")) : null,
          d.problems.length ? h("div", { class: "warn-box" }, "NOT NULL without default (fails on a table with rows): ", d.problems.join(", ")) : null,
          (d.assumed || []).map((a) => h("div", { class: "note" }, a))));
    const p = data.push;
    const push = h("section", { class: "panel", "data-testid": "push-plan" },
      h("h3", {}, "Schema code vs. live database (what ", h("code", {}, "mizzle push"), " would run)"),
      !p.available ? h("div", { class: "note" }, p.reason) : p.in_sync ? h("p", { class: "ok-text", "data-testid": "push-in-sync" }, "✓ The database matches the schema.") :
        h("div", {},
          h("p", {}, `${p.statements.length} statement(s) — shown, not run:`),
          statementList(p.statements),
          p.losses.map((f) => h("div", { class: "warn-box", "data-testid": "push-loss" }, `⚠ ${f.message}`, f.samples.length ? h("span", { class: "muted" }, ` e.g. ${f.samples.join(", ")}`) : null)),
          p.conflicts.map((f) => h("div", { class: "error-box" }, `✗ ${f.message}${f.hint ? ` — ${f.hint}` : ""}`)),
          (p.assumed || []).map((a) => h("div", { class: "note" }, a)),
          h("details", {}, h("summary", {}, "SQL"), h("pre", { class: "sql-text" }, p.sql.join(";\n\n") + ";"))));
    main.replaceChildren(h("div", { class: "migrations-view" },
      h("div", { class: "toolbar" }, h("h2", {}, "Migrations"), h("span", { class: "spacer" }),
        h("button", { onclick: () => S.views.migrations(main) }, "↻ Refresh")),
      status, drift, push));
  };
})();
