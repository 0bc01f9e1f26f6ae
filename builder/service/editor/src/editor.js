// The service's YAML editor: CodeMirror 6 with YAML highlighting, line numbers, the builder's
// findings as lint markers at their lines, and completion of the Chinese keys from the JSON
// Schema of the file's kind (builder schema). Built into ../static/editor.js by build.sh; the page
// script (static/edit.js) uses it through window.BudgetEditor.

import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, rectangularSelection, dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import {
  syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, foldGutter, foldKeymap,
} from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics, lintKeymap } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";

const PHRASES = {
  "Find": "查找", "Replace": "替换", "next": "下一个", "previous": "上一个", "all": "全部",
  "match case": "区分大小写", "by word": "全词匹配", "regexp": "正则表达式", "replace": "替换",
  "replace all": "全部替换", "close": "关闭", "current match": "当前匹配", "on line": "位于第",
  "replaced match on line $": "已替换第 $ 行的匹配", "replaced $ matches": "已替换 $ 处",
  "Go to line": "跳到行", "go": "跳转", "Diagnostics": "检查结果", "No diagnostics": "没有问题",
  "Folded lines": "已折叠", "Unfolded lines": "已展开", "to": "至", "folded code": "已折叠的内容",
  "unfold": "展开", "Fold line": "折叠", "Unfold line": "展开", "Selection deleted": "已删除所选内容",
  "Control character": "控制字符", "Completions": "补全",
};

// -- where the cursor is: the path of keys above it -------------------------------------------

const indentOf = (text) => text.length - text.trimStart().length;
const blank = (text) => /^\s*(#|$)/.test(text);
const ITEM = /^(\s*)-(\s+)/;

function keyAt(text) {
  const m = /^("([^"]*)"|'([^']*)'|([^\s#:{}\[\],][^:#{}]*?))\s*:(\s|$)/.exec(text);
  if (!m) return null;
  return (m[2] ?? m[3] ?? m[4]).trim();
}

// The keys leading to the mapping whose keys sit at column `col`, for a line below `lineNo`.
function pathAt(doc, lineNo, col) {
  if (col === 0) return [];
  for (let n = lineNo - 1; n >= 1; n--) {
    const text = doc.line(n).text;
    if (blank(text)) continue;
    const ind = indentOf(text);
    const item = ITEM.exec(text);
    if (item) {
      const content = item[0].length;
      if (content === col) return listPath(doc, n, ind).concat(["[]"]);
      if (content < col) {
        const key = keyAt(text.slice(content));
        return key ? listPath(doc, n, ind).concat(["[]", key]) : [];
      }
      continue;
    }
    if (ind < col) {
      const key = keyAt(text.slice(ind));
      return key ? pathAt(doc, n, ind).concat([key]) : [];
    }
  }
  return [];
}

// The keys leading to the list whose items' dashes sit at column `dash`, from line `lineNo` up.
function listPath(doc, lineNo, dash) {
  for (let n = lineNo - 1; n >= 1; n--) {
    const text = doc.line(n).text;
    if (blank(text)) continue;
    const ind = indentOf(text);
    const item = ITEM.exec(text);
    if (ind > dash || (item && ind === dash)) continue;
    if (item) {
      const key = keyAt(text.slice(item[0].length));
      return key ? listPath(doc, n, ind).concat(["[]", key]) : [];
    }
    const key = keyAt(text.slice(ind));
    return key ? pathAt(doc, n, ind).concat([key]) : [];
  }
  return [];
}

// The column of the last "{" on the line not closed before the cursor (outside quotes), or -1.
function unclosedBrace(text) {
  let quote = null;
  const open = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) { if (ch === quote) quote = null; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "{") open.push(i);
    else if (ch === "}") open.pop();
  }
  return open.length ? open[open.length - 1] : -1;
}

export function context(state, pos) {
  const doc = state.doc;
  const line = doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const brace = unclosedBrace(before);
  if (brace >= 0) {                                // inside {…} on this line
    const word = /([^\s{,:"']*)$/.exec(before)[1];
    const between = before.slice(brace + 1);
    if (/:[^,]*$/.test(between.slice(0, between.length - word.length))) return null;   // typing a value
    const head = before.slice(0, brace);
    const item = ITEM.exec(head);
    let path;
    if (item && item[0].length === head.length) path = listPath(doc, line.number, item[1].length).concat(["[]"]);
    else if (item) {
      const key = keyAt(head.slice(item[0].length));
      path = key ? listPath(doc, line.number, item[1].length).concat(["[]", key]) : null;
    } else {
      const key = keyAt(head.slice(indentOf(head)));
      path = key ? pathAt(doc, line.number, indentOf(head)).concat([key]) : null;
    }
    return path && { path, from: pos - word.length };
  }
  const m = /^(\s*)(-\s+)?([^\s:#{}\[\],"']*)$/.exec(before);
  if (!m) return null;
  const path = m[2] ? listPath(doc, line.number, m[1].length).concat(["[]"]) : pathAt(doc, line.number, m[1].length);
  return { path, from: pos - m[3].length };
}

// -- the schema ----------------------------------------------------------------------------------

function resolve(root, node, depth = 0) {
  if (!node || depth > 20) return null;
  if (node.$ref) {
    const parts = node.$ref.replace(/^#\//, "").split("/");
    let target = root;
    for (const part of parts) target = target && target[part];
    return resolve(root, target, depth + 1);
  }
  for (const many of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(node[many])) {
      for (const branch of node[many]) {
        const r = resolve(root, branch, depth + 1);
        if (r && (r.properties || r.items)) return r;
      }
    }
  }
  return node;
}

export function schemaNode(root, path) {
  let node = resolve(root, root);
  for (const step of path) {
    if (!node) return null;
    node = step === "[]" ? resolve(root, node.items) : resolve(root, node.properties && node.properties[step]);
  }
  return node;
}

function completionsFrom(getSchema) {
  return (ctx) => {
    const schema = getSchema();
    if (!schema) return null;
    const where = context(ctx.state, ctx.pos);
    if (!where) return null;
    if (where.from === ctx.pos && !ctx.explicit) return null;
    const node = schemaNode(schema, where.path);
    if (!node || !node.properties) return null;
    const options = Object.entries(node.properties).map(([key, spec]) => {
      const sub = resolve(schema, spec) || {};
      const title = spec.title || sub.title || "";
      const description = spec.description || sub.description || "";
      return {
        label: key, type: "property", detail: title,
        info: description || undefined,
        apply: `${key}: `,
      };
    });
    return { from: where.from, options, validFor: /^[^\s:#{}\[\],"']*$/ };
  };
}

// -- the editor ------------------------------------------------------------------------------------

export function create(parent, options) {
  const readOnly = new Compartment();
  let schema = options.schema || null;
  const extensions = [
    EditorState.phrases.of(PHRASES),
    lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(),
    drawSelection(), dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }), bracketMatching(), closeBrackets(),
    autocompletion({ override: [completionsFrom(() => schema)], icons: false }),
    rectangularSelection(), highlightActiveLine(), highlightSelectionMatches(), lintGutter(),
    keymap.of([
      { key: "Mod-s", preventDefault: true, run: () => { if (options.onSave) options.onSave(); return true; } },
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
      ...completionKeymap, ...lintKeymap, indentWithTab,
    ]),
    yaml(),
    EditorState.tabSize.of(2),
    readOnly.of([EditorState.readOnly.of(!!options.readOnly), EditorView.editable.of(!options.readOnly)]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && options.onChange) options.onChange();
    }),
  ];
  if (options.nonce) extensions.push(EditorView.cspNonce.of(options.nonce));
  const view = new EditorView({ state: EditorState.create({ doc: options.doc || "", extensions }), parent });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setSchema(value) { schema = value; },
    // findings of this file: [{line, severity: "错误"|"警告", message}]
    setFindings(findings) {
      const doc = view.state.doc;
      const diagnostics = [];
      for (const f of findings) {
        const number = Math.min(Math.max(f.line || 1, 1), doc.lines);
        const line = doc.line(number);
        diagnostics.push({
          from: line.from, to: Math.max(line.to, line.from), severity: f.severity === "错误" ? "error" : "warning",
          message: `${f.line ? "" : "（整个文件）"}${f.message}`, source: f.severity,
        });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    goto(number) {
      const doc = view.state.doc;
      const line = doc.line(Math.min(Math.max(number, 1), doc.lines));
      view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
      view.focus();
    },
  };
}

window.BudgetEditor = { create, context, schemaNode };
