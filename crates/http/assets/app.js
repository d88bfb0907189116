// The Canopy API reference page: fetches the OpenAPI document served beside it and renders it.
// Vanilla JS, no dependency, nothing loaded from elsewhere; text is always set with textContent.
"use strict";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const PERMISSION = "x-required-permission";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Text with `code` spans, as the document's descriptions write them.
function prose(tag, text) {
  const node = el(tag);
  String(text || "").split(/(`[^`]*`)/).forEach((part) => {
    if (part.length > 1 && part.startsWith("`") && part.endsWith("`")) node.append(el("code", {}, part.slice(1, -1)));
    else if (part) node.append(document.createTextNode(part));
  });
  return node;
}

function paragraphs(text) {
  const box = el("div");
  String(text || "").split(/\n\s*\n/).forEach((para) => {
    if (para.trim()) box.append(prose("p", para.replace(/\s*\n\s*/g, " ")));
  });
  return box;
}

function refName(ref) {
  return ref.split("/").pop();
}

// A schema with its references replaced by what they name, so it reads on its own.
function resolve(doc, schema, seen) {
  if (Array.isArray(schema)) return schema.map((item) => resolve(doc, item, seen));
  if (!schema || typeof schema !== "object") return schema;
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    if (seen.includes(name)) return { $ref: schema.$ref };
    const target = ((doc.components || {}).schemas || {})[name];
    return target ? resolve(doc, target, seen.concat(name)) : { $ref: schema.$ref };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = resolve(doc, value, seen);
  return out;
}

function schemaBlock(doc, schema) {
  if (!schema) return null;
  const label = schema.$ref ? el("p", {}, "Schema ", el("code", {}, refName(schema.$ref)), ":") : null;
  return el("div", {}, label, el("pre", {}, JSON.stringify(resolve(doc, schema, []), null, 2)));
}

function contentBlocks(doc, content) {
  const box = el("div");
  for (const [type, media] of Object.entries(content || {})) {
    box.append(el("p", {}, el("code", {}, type)));
    const block = schemaBlock(doc, media.schema);
    if (block) box.append(block);
  }
  return box;
}

function typeOf(schema) {
  if (!schema) return "";
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || "";
  const extra = [];
  if (schema.format) extra.push(schema.format);
  if (schema.enum) extra.push("one of " + schema.enum.join(", "));
  if (schema.minimum !== undefined) extra.push("min " + schema.minimum);
  if (schema.maximum !== undefined) extra.push("max " + schema.maximum);
  return extra.length ? type + " (" + extra.join("; ") + ")" : type;
}

function parametersTable(params) {
  const table = el("table", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "In"), el("th", {}, "Required"),
    el("th", {}, "Type"), el("th", {}, "Description")));
  for (const param of params) {
    table.append(el("tr", {}, el("td", {}, el("code", {}, param.name)), el("td", {}, param.in),
      el("td", {}, param.required ? "yes" : "no"), el("td", {}, typeOf(param.schema)),
      el("td", {}, prose("span", param.description))));
  }
  return table;
}

function operationId(method, path, op) {
  return "op-" + (op.operationId || method + path).replace(/[^A-Za-z0-9_-]/g, "-");
}

function renderOperation(doc, method, path, op) {
  const section = el("section", { class: "op", id: operationId(method, path, op) });
  section.append(el("h3", {}, el("span", { class: "method " + method }, method), el("span", { class: "path" }, path),
    el("span", { class: "summary" }, op.summary || "")));
  const body = el("div", { class: "op-body" });
  const permission = op[PERMISSION];
  body.append(el("p", { class: "permission" }, "Permission: ",
    permission ? el("code", {}, permission) : el("em", {}, "none (public)")));
  body.append(paragraphs(op.description));
  if (op.parameters && op.parameters.length) {
    body.append(el("h4", {}, "Parameters"), parametersTable(op.parameters));
  }
  if (op.requestBody) {
    body.append(el("h4", {}, "Request body" + (op.requestBody.required ? " (required)" : "")));
    body.append(contentBlocks(doc, op.requestBody.content));
  }
  body.append(el("h4", {}, "Responses"));
  for (const [status, response] of Object.entries(op.responses || {})) {
    const head = el("summary", {}, el("span", { class: "status-code" }, status), " ", prose("span", response.description));
    const details = el("details", status.startsWith("2") ? { open: "" } : {}, head);
    details.append(contentBlocks(doc, response.content));
    body.append(details);
  }
  section.append(body);
  return section;
}

function render(doc) {
  const info = doc.info || {};
  document.getElementById("title").textContent = (info.title || "API") + " " + (info.version || "") + " — API reference";
  document.title = document.getElementById("title").textContent;
  const content = document.getElementById("content");
  const toc = document.getElementById("toc");
  content.textContent = "";
  toc.textContent = "";
  content.append(paragraphs(info.description));
  content.append(el("p", {}, "OpenAPI " + doc.openapi));

  // Operations by tag, in the document's tag order; untagged ones last.
  const groups = new Map((doc.tags || []).map((tag) => [tag.name, { tag, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = (op.tags && op.tags[0]) || "other";
      if (!groups.has(name)) groups.set(name, { tag: { name }, ops: [] });
      groups.get(name).ops.push({ method, path, op });
    }
  }
  for (const { tag, ops } of groups.values()) {
    if (!ops.length) continue;
    const list = el("ul");
    toc.append(el("h2", {}, tag.name), list);
    content.append(el("h2", { class: "tag", id: "tag-" + tag.name }, tag.name));
    if (tag.description) {
      const description = prose("p", tag.description);
      description.className = "tag-description";
      content.append(description);
    }
    for (const { method, path, op } of ops) {
      const link = el("a", { href: "#" + operationId(method, path, op) },
        el("span", { class: "method " + method }, method), " ", op.summary || path);
      list.append(el("li", {}, link));
      content.append(renderOperation(doc, method, path, op));
    }
  }

  const schemas = (doc.components || {}).schemas || {};
  if (Object.keys(schemas).length) {
    const list = el("ul");
    toc.append(el("h2", {}, "schemas"), list);
    content.append(el("h2", { class: "tag", id: "schemas" }, "schemas"));
    for (const [name, schema] of Object.entries(schemas)) {
      list.append(el("li", {}, el("a", { href: "#schema-" + name }, name)));
      const section = el("section", { class: "op", id: "schema-" + name }, el("h3", {}, el("code", {}, name)));
      section.append(el("div", { class: "op-body" }, el("pre", {}, JSON.stringify(schema, null, 2))));
      content.append(section);
    }
  }
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
}

fetch("openapi.json", { headers: { accept: "application/json" } })
  .then((response) => {
    if (!response.ok) throw new Error("openapi.json answered " + response.status);
    return response.json();
  })
  .then(render)
  .catch((err) => {
    const status = document.getElementById("status") || document.getElementById("content").appendChild(el("p"));
    status.className = "error";
    status.textContent = "Could not load the document: " + err.message;
  });
