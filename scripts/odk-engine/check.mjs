// check.mjs loads an XForm with ODK's own form engine (@getodk/xforms-engine,
// what ODK Web Forms runs) and reports, as one JSON object on stdout, what the
// engine made of it:
//
//   node check.mjs FORM.xml [ANSWERS.json]
//
//   {"status": "success" | "warning" | "failure", "error": null | "…",
//    "warnings": …, "languages": ["Bosanski (bs)", …], "defaultLanguage": "…",
//    "questions": [{"name", "ref", "type", "required", "label", "options"}],
//    "answers": [{"name", "value", "valid", "condition", "message"}],
//    "violations": [{"ref", "condition", "message"}],
//    "submission": "<data …>…</data>"}
//
// ANSWERS.json is an object {"question name": value}: a string for an input
// or a select_one, a list of strings for a select_multiple. Each answer is
// set in the order given, then read back with its validity (constraint and
// required, with the form's message in the form's default language). It may
// also be a list of such objects: each is filled on a fresh instance, and
// the output has "fills": [{"answers", "violations", "submission"}, …]
// instead of the three keys at the top.
// "submission" is root.prepareInstancePayload()'s instance XML: the file ODK
// Collect would save for the filled form. The exit status is 0 when the form
// loaded (even with invalid answers: the caller judges them), 1 when the
// engine refused it, 2 on misuse.
//
// The engine is built for browsers: in Node it needs a DOM (jsdom) and the
// CommonJS globals some of its dependencies expect, set before it is imported.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const [formPath, answersPath] = process.argv.slice(2);
if (!formPath) {
  process.stderr.write('usage: node check.mjs FORM.xml [ANSWERS.json]\n');
  process.exit(2);
}

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: true,
});
globalThis.__filename = fileURLToPath(import.meta.url);
globalThis.__dirname = dirname(globalThis.__filename);
globalThis.require = createRequire(import.meta.url);
// Every property of the DOM window Node does not have already (document,
// DOMParser, XMLSerializer, Node, XPathResult, …) becomes a global.
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (key in globalThis) continue;
  try {
    globalThis[key] = dom.window[key];
  } catch {
    // a few accessors throw outside a browsing context; the engine needs none of them
  }
}
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const { loadForm } = await import('@getodk/xforms-engine');

const out = {
  status: null,
  error: null,
  warnings: null,
  languages: [],
  defaultLanguage: null,
  questions: [],
  answers: [],
  violations: [],
  submission: null,
};

// finish prints the report and exits once it is written: process.exit
// right after a write to a pipe would cut a long report short.
function finish(code) {
  process.stdout.write(JSON.stringify(out, null, 2) + '\n', () => process.exit(code));
  return new Promise(() => {}); // nothing runs after finish
}

// plain makes an answer JSON can carry: whole numbers come back from the
// engine as BigInt, dates as Temporal objects; both become their text.
function plain(v) {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && v.toString !== Object.prototype.toString) return String(v);
  return v;
}

function text(range) {
  if (!range) return null;
  try {
    return range.asString;
  } catch (e) {
    return `(unreadable: ${e.message})`;
  }
}

function nameOf(ref) {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

// leaves lists the nodes below node that hold a value, depth first.
function leaves(node, acc = []) {
  const children = node.currentState.children;
  if (!children || children.length === 0) {
    if (node.nodeType !== 'root') acc.push(node);
    return acc;
  }
  for (const c of children) leaves(c, acc);
  return acc;
}

function violationOf(node) {
  const v = node.validationState && node.validationState.violation;
  if (!v) return { valid: true, condition: null, message: null };
  return { valid: false, condition: v.condition, message: text(v.message) };
}

const xml = readFileSync(formPath, 'utf8');
const answers = answersPath ? JSON.parse(readFileSync(answersPath, 'utf8')) : {};

let result;
try {
  result = await loadForm(xml);
} catch (e) {
  out.status = 'failure';
  out.error = String(e && e.stack ? e.stack : e);
  await finish(1);
}
out.status = result.status;
out.warnings = result.warnings ?? null;
if (result.status === 'failure') {
  out.error = String(result.error && result.error.message ? result.error.message : result.error);
  await finish(1);
}

let root;
try {
  ({ root } = result.createInstance());
} catch (e) {
  out.status = 'failure';
  out.error = 'createInstance: ' + String(e && e.stack ? e.stack : e);
  await finish(1);
}

out.languages = root.languages.map((l) => l.language);
out.defaultLanguage = root.currentState.activeLanguage.language;

// questions are described once, from a fresh instance.
for (const node of leaves(root)) {
  const ref = node.currentState.reference;
  const q = {
    name: nameOf(ref),
    ref,
    type: node.nodeType,
    required: node.currentState.required,
    label: text(node.currentState.label),
  };
  if (node.nodeType === 'select') {
    q.options = node.currentState.valueOptions.map((o) => o.value);
  }
  out.questions.push(q);
}

// fill sets answers on an instance and reads back what the engine says of
// them, and the submission it would save.
async function fill(instanceRoot, set) {
  const res = { answers: [], violations: [], submission: null };
  const byName = new Map();
  for (const node of leaves(instanceRoot)) {
    const ref = node.currentState.reference;
    byName.set(nameOf(ref), node);
    byName.set(ref, node);
  }
  for (const [name, value] of Object.entries(set)) {
    const node = byName.get(name);
    if (!node) {
      res.answers.push({ name, value, valid: false, condition: 'unknown', message: 'no such question' });
      continue;
    }
    try {
      if (node.nodeType === 'select') {
        if (Array.isArray(value)) node.selectValues(value);
        else node.selectValue(value === '' ? null : value);
      } else if (typeof node.setValue === 'function') {
        node.setValue(value);
      } else {
        res.answers.push({ name, value, valid: false, condition: 'readonly', message: `a ${node.nodeType} takes no answer` });
        continue;
      }
    } catch (e) {
      res.answers.push({ name, value, valid: false, condition: 'error', message: String(e.message ?? e) });
      continue;
    }
    res.answers.push({ name, value: plain(node.currentState.value), ...violationOf(node) });
  }
  for (const v of instanceRoot.validationState.violations) {
    res.violations.push({ ref: v.reference, condition: v.violation.condition, message: text(v.violation.message) });
  }
  const payload = await instanceRoot.prepareInstancePayload();
  res.submission = await payload.data[0].get('xml_submission_file').text();
  return res;
}

try {
  if (Array.isArray(answers)) {
    // Each set of answers on a fresh instance of its own.
    out.fills = [];
    for (const set of answers) {
      out.fills.push(await fill(result.createInstance().root, set));
    }
  } else {
    Object.assign(out, await fill(root, answers));
  }
} catch (e) {
  out.error = 'filling the form: ' + String(e && e.stack ? e.stack : e);
  await finish(1);
}
await finish(0);
