// GET /docs: the OpenAPI document as a page to read, rendered on the server from the document
// itself (so the two always agree), with no script and nothing fetched from elsewhere.
// The document is plain JSON here, walked by shape: any keeps the walk short.
import { contentSecurityPolicy } from '../http/html-headers';

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document walked by key, whose shapes vary by node
type Json = Record<string, any>;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "string (uuid)", "integer ≥ 1 ≤ 500, default 50", "one of card | qris" ... */
function typeOf(schema: Json | undefined, components: Json): string {
  if (!schema) return '';
  if (schema.$ref) return String(schema.$ref).split('/').pop()!;
  if (schema.anyOf) return schema.anyOf.map((s: Json) => typeOf(s, components)).join(' or ');
  if (schema.enum) return `one of ${schema.enum.join(' | ')}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === 'array') return `array of ${typeOf(schema.items, components)}`;
  const bits = [schema.type ?? 'any'];
  if (schema.format) bits.push(`(${schema.format})`);
  if (schema.minimum !== undefined) bits.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) bits.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    bits.push(`${schema.minLength ?? 0}-${schema.maxLength ?? '…'} chars`);
  if (schema.pattern && !schema.format) bits.push(`matching ${schema.pattern}`);
  if (schema.default !== undefined) bits.push(`, default ${JSON.stringify(schema.default)}`);
  return bits.join(' ');
}

const resolve = (schema: Json | undefined, components: Json): Json | undefined =>
  schema?.$ref ? components[String(schema.$ref).split('/').pop()!] : schema;

/** One row per field, nested objects and arrays of objects flattened: card.tid, regions[].code. */
function fieldRows(schema: Json | undefined, components: Json, prefix = '', depth = 0): string[] {
  const target = resolve(schema, components);
  const required = new Set<string>(target?.required ?? []);
  return Object.entries<Json>(target?.properties ?? {}).flatMap(([name, s]) => {
    const field = `${prefix}${name}`;
    const row = `<tr><td><code>${esc(field).replace(/\./g, '.<wbr>')}</code>${required.has(name) ? ' *' : ''}</td><td>${esc(typeOf(s, components))}</td><td>${esc(s.description)}</td></tr>`;
    const inner = s.type === 'array' ? resolve(s.items, components) : resolve(s, components);
    const nested =
      depth < 4 && inner?.properties
        ? fieldRows(inner, components, `${field}${s.type === 'array' ? '[]' : ''}.`, depth + 1)
        : [];
    return [row, ...nested];
  });
}

function fieldsTable(schema: Json | undefined, components: Json): string {
  const rows = fieldRows(schema, components);
  return rows.length ? `<table><tr><th>field</th><th>type</th><th></th></tr>${rows.join('')}</table>` : '';
}

function operationHtml(method: string, path: string, op: Json, components: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const paramRows = params.map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code>${p.required ? ' *' : ''}</td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema, components))}</td></tr>`,
  );
  const body = op.requestBody as Json | undefined;
  const [bodyType, bodyMedia] = Object.entries<Json>(body?.content ?? {})[0] ?? [];
  const answers = Object.entries<Json>(op.responses).map(([status, r]) => {
    const media = Object.values<Json>(r.content ?? {})[0];
    const fields = Number(status) < 300 && media?.schema ? fieldsTable(media.schema, components) : '';
    return `<li><b>${esc(status)}</b> ${esc(r.description)}${fields}</li>`;
  });
  return `<section class="op" id="${esc(op.operationId)}">
<h3><span class="m m-${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}</p><p class="who">${esc(op.description)}</p>
${paramRows.length ? `<h4>Parameter</h4><table><tr><th>nama</th><th>di</th><th>tipe</th></tr>${paramRows.join('')}</table>` : ''}
${body ? `<h4>Body <small>${esc(bodyType)}${body.required ? '' : ', opsional'}</small></h4>${body.description ? `<p>${esc(body.description)}</p>` : ''}${fieldsTable(bodyMedia?.schema, components)}` : ''}
<h4>Jawaban</h4><ul>${answers.join('')}</ul>
</section>`;
}

export function docsPage(doc: Json): string {
  const components = doc.components?.schemas ?? {};
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const list = byTag.get(op.tags[0]) ?? [];
      list.push(operationHtml(method, path, op, components));
      byTag.set(op.tags[0], list);
    }
  }
  const tags = (doc.tags as Json[]).filter((t) => byTag.has(t.name));
  const nav = tags.map((t) => `<a href="#tag-${esc(t.name)}">${esc(t.name)}</a>`).join(' · ');
  const sections = tags.map(
    (t) =>
      `<h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2><p class="who">${esc(t.description)}</p>${byTag.get(t.name)!.join('')}`,
  );
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} — dokumentasi</title>
<style>${DOCS_STYLE}</style></head>
<body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Dokumen mesin: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). * = wajib.</p>
<nav>${nav}</nav>${sections.join('\n')}</body></html>`;
}

// The page's one inline block, allowed by its hash in the page's Content-Security-Policy: the
// page runs no script and loads nothing (no viewer, no CDN).
const DOCS_STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.4;color:#1a1a1a}
h2{border-bottom:2px solid #ddd;margin:2.5rem 0 .2rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.1rem 1rem .4rem;margin:.8rem 0}.op h3{font-size:1.05rem;margin:.6rem 0 .3rem;overflow-wrap:anywhere}
.op p,.op ul{margin:.25rem 0}.op ul{padding-left:1.2rem}.op h4{margin:.6rem 0 .15rem;font-size:.95rem}
.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;padding:0 .3rem;font-size:.85rem}
.m-get{background:#1f6feb}.m-post{background:#1a7f37}.m-put{background:#9a6700}.m-patch{background:#8250df}.m-delete{background:#cf222e}
.who{color:#555}table{border-collapse:collapse;font-size:.9rem;margin:.3rem 0;display:block;overflow-x:auto;max-width:100%}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left;vertical-align:top}
code{font-size:.9em;overflow-wrap:anywhere}td code{overflow-wrap:normal}nav{font-size:.9rem}`;

export const DOCS_CSP = contentSecurityPolicy({ styles: [DOCS_STYLE] });
