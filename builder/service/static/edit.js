// The editor page: load the file, check it while typing (after a pause), save it (button or
// Ctrl+S), show every finding at its line and in the list, refresh the preview after a save,
// and keep the build state and the bureau's comment up to date. Text from the server is only
// ever put into the page as text (textContent), never as markup.
"use strict";
(() => {
  const root = document.getElementById("editor");
  if (!root || !window.BudgetEditor) return;
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const base = meta("base");
  const csrf = meta("csrf-token");
  const file = root.dataset.file;
  const quoted = file.split("/").map(encodeURIComponent).join("/");
  const writable = root.dataset.writable === "true";
  const $ = (id) => document.getElementById(id);
  const saveButton = $("save");
  const saveState = $("save-state");
  const findingsList = $("findings");
  const counts = $("finding-counts");
  const frame = $("preview");
  const previewState = $("preview-state");
  const PAUSE_MS = 800;

  let sha = null;          // the file as saved, which a save must be based on
  let saved = "";          // its text
  let editor = null;
  let timer = null;
  let checking = 0;
  let saving = false;

  const say = (text, kind) => {
    saveState.textContent = text;
    saveState.className = kind ? `state-${kind}` : "";
  };

  async function call(method, url, body) {
    const response = await fetch(base + url, {
      method, credentials: "same-origin",
      headers: body === undefined ? {} : { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: `服务器返回 ${response.status}` }; }
    return { status: response.status, data };
  }

  function showFindings(findings) {
    const own = findings.filter((f) => f.file === file);
    editor.setFindings(own);
    findingsList.replaceChildren();
    let errors = 0, warnings = 0;
    for (const f of findings) {
      if (f.severity === "错误") errors++; else warnings++;
      const item = document.createElement("li");
      item.className = f.severity === "错误" ? "sev-error" : "sev-warning";
      item.dataset.line = f.line || "";
      const where = document.createElement(f.file === file && f.line ? "a" : "span");
      where.className = "where";
      where.textContent = f.file === file ? (f.line ? `第 ${f.line} 行` : "整个文件") : `${f.file}${f.line ? `:${f.line}` : ""}`;
      if (where.tagName === "A") {
        where.href = "#";
        where.addEventListener("click", (event) => { event.preventDefault(); editor.goto(f.line); });
      }
      const severity = document.createElement("span");
      severity.className = "severity";
      severity.textContent = f.severity;
      const text = document.createElement("span");
      text.className = "message";
      text.textContent = f.message;
      item.append(where, severity, text);
      findingsList.append(item);
    }
    counts.textContent = findings.length ? `错误 ${errors} 个，警告 ${warnings} 个` : "没有问题";
    counts.dataset.errors = errors;
  }

  function showPreview(url) {
    if (!url) return;
    let top = 0;
    try { top = frame.contentWindow.scrollY; } catch (e) { top = 0; }
    frame.addEventListener("load", function restore() {
      frame.removeEventListener("load", restore);
      try { frame.contentWindow.scrollTo(0, top); } catch (e) { /* another origin: start at the top */ }
      previewState.textContent = `已更新 ${new Date().toLocaleTimeString("zh-CN")}`;
      frame.dataset.loaded = url;
    });
    frame.src = url;
    $("preview-open").href = url;
  }

  function showOutputs(outputs) {
    const state = $("build-state");
    if (!state || !outputs) return;
    const chip = state.querySelector(".chip") || document.createElement("span");
    const kinds = { "已生成": "ok", "有错误": "bad", "检查中": "busy", "生成中": "busy", "排队生成": "busy", "待重新生成": "stale", "未生成": "none" };
    chip.className = `chip state-${kinds[outputs.label] || "none"}`;
    chip.textContent = outputs.label;
    if (!chip.parentNode) state.append(chip);
    const note = $("build-note");
    if (note) note.textContent = outputs.earlier ? outputs.earlier : outputs.generated ? `公开表生成于 ${outputs.generated}` : "";
  }

  function dirty() { return editor && editor.text() !== saved; }

  function changed() {
    if (saveButton) saveButton.disabled = !dirty() || saving;
    say(dirty() ? "有未保存的修改" : "", dirty() ? "stale" : "");
    clearTimeout(timer);
    timer = setTimeout(checkDraft, PAUSE_MS);
  }

  async function checkDraft() {
    if (!dirty()) return;
    const mine = ++checking;
    const { status, data } = await call("POST", `/api/check/${quoted}`, { text: editor.text() });
    if (mine !== checking || saving) return;          // a newer check or a save answers instead
    if (status === 200 && data.findings) showFindings(data.findings);
    else if (status === 503) timer = setTimeout(checkDraft, 2000);
  }

  async function save() {
    if (!writable || saving || !dirty()) return;
    saving = true;
    checking++;
    saveButton.disabled = true;
    say("正在保存…", "busy");
    const text = editor.text();
    try {
      const { status, data } = await call("POST", `/api/save/${quoted}`, { text, base: sha });
      if (status === 200) {
        sha = data.sha;
        saved = text;
        showFindings(data.findings);
        showPreview(data.preview);
        showOutputs(data.outputs);
        const v = data.version;
        say(`已保存（第 ${v.number} 版，${v.when}）${data.errors ? `，有 ${data.errors} 个错误：公开表仍是上次无错误的版本` : ""}`,
          data.errors ? "bad" : "ok");
        $("conflict").hidden = true;
      } else if (status === 409) {
        $("conflict-text").textContent = data.error;
        $("conflict").hidden = false;
        say("未保存", "bad");
      } else {
        if (data.findings) showFindings(data.findings);
        say(data.error || `保存失败（${status}）`, "bad");
      }
    } catch (e) {
      say("保存失败：无法连接服务器，修改仍在编辑器中", "bad");
    } finally {
      saving = false;
      if (saveButton) saveButton.disabled = !dirty();
    }
  }

  async function load() {
    const { status, data } = await call("GET", `/api/file/${quoted}`);
    if (status !== 200) { say(data.error || "无法读取文件", "bad"); return; }
    sha = data.sha;
    saved = data.text;
    if (!editor) {
      editor = window.BudgetEditor.create(root, {
        doc: data.text, readOnly: !data.may_write, nonce: meta("style-nonce"), onChange: changed, onSave: save,
      });
      fetch(`${base}/api/schema/${root.dataset.kind}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null)).then((schema) => editor.setSchema(schema)).catch(() => {});
    } else {
      editor.setText(data.text);
      saved = data.text;
    }
    showFindings(data.findings);
    showPreview(data.preview);
    showOutputs(data.outputs);
    if (data.version) say(`第 ${data.version.number} 版（${data.version.when}，${data.version.user}）`, "");
    if (saveButton) saveButton.disabled = true;
    root.budgetEditor = editor;          // for the browser tests and automation: the page's own editor
    root.dataset.ready = "true";
  }

  async function poll() {
    if (document.hidden) return;
    const { status, data } = await call("GET", `/api/status/${quoted}`);
    if (status === 200) showOutputs(data.outputs);
  }

  if (saveButton) saveButton.addEventListener("click", save);
  $("conflict-reload").addEventListener("click", () => { $("conflict").hidden = true; load(); });
  window.addEventListener("beforeunload", (event) => { if (dirty()) { event.preventDefault(); event.returnValue = ""; } });
  load();
  setInterval(poll, 4000);
})();
