// A small JSON Schema validator (the draft 2020-12 / draft-07 keywords a data-file schema uses),
// so the integration tests check the weights file against schema/weights.schema.json without a
// runtime dependency. A keyword it does not know is reported as a problem rather than ignored,
// so a schema that outgrows it fails loudly instead of passing unchecked.

type Schema = boolean | { [k: string]: unknown };

const ANNOTATIONS = new Set([
  '$schema', '$id', '$comment', '$anchor', 'title', 'description', 'default', 'examples',
  'deprecated', 'readOnly', 'writeOnly', 'format', '$defs', 'definitions', 'contentMediaType', 'contentEncoding',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    default:
      return typeOf(v) === t;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`only local $ref is supported (got ${ref})`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown>)?.[key];
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node as Schema;
}

/** Returns the problems found ("<path>: <what>"); an empty list means the value is valid. */
export function validateAgainstSchema(value: unknown, schema: Schema): string[] {
  const problems: string[] = [];
  check(value, schema, schema, '$', problems);
  return problems;
}

function check(v: unknown, s: Schema, root: Schema, at: string, out: string[]): void {
  if (s === true) return;
  if (s === false) {
    out.push(`${at}: not allowed`);
    return;
  }
  for (const [k, kw] of Object.entries(s)) {
    if (ANNOTATIONS.has(k)) continue;
    switch (k) {
      case '$ref':
        check(v, resolveRef(root, kw as string), root, at, out);
        break;
      case 'type': {
        const types = Array.isArray(kw) ? (kw as string[]) : [kw as string];
        if (!types.some((t) => matchesType(v, t))) out.push(`${at}: expected ${types.join('|')}, got ${typeOf(v)}`);
        break;
      }
      case 'enum':
        if (!(kw as unknown[]).some((e) => deepEqual(e, v))) out.push(`${at}: ${JSON.stringify(v)} not in enum`);
        break;
      case 'const':
        if (!deepEqual(kw, v)) out.push(`${at}: expected ${JSON.stringify(kw)}`);
        break;
      case 'minimum':
        if (typeof v === 'number' && v < (kw as number)) out.push(`${at}: ${v} < minimum ${kw}`);
        break;
      case 'maximum':
        if (typeof v === 'number' && v > (kw as number)) out.push(`${at}: ${v} > maximum ${kw}`);
        break;
      case 'exclusiveMinimum':
        if (typeof v === 'number' && typeof kw === 'number' && v <= kw) out.push(`${at}: ${v} <= exclusiveMinimum ${kw}`);
        break;
      case 'exclusiveMaximum':
        if (typeof v === 'number' && typeof kw === 'number' && v >= kw) out.push(`${at}: ${v} >= exclusiveMaximum ${kw}`);
        break;
      case 'multipleOf':
        if (typeof v === 'number' && Math.abs(v / (kw as number) - Math.round(v / (kw as number))) > 1e-9) out.push(`${at}: not a multiple of ${kw}`);
        break;
      case 'minLength':
        if (typeof v === 'string' && [...v].length < (kw as number)) out.push(`${at}: shorter than ${kw}`);
        break;
      case 'maxLength':
        if (typeof v === 'string' && [...v].length > (kw as number)) out.push(`${at}: longer than ${kw}`);
        break;
      case 'pattern':
        if (typeof v === 'string' && !new RegExp(kw as string, 'u').test(v)) out.push(`${at}: does not match ${kw}`);
        break;
      case 'minItems':
        if (Array.isArray(v) && v.length < (kw as number)) out.push(`${at}: fewer than ${kw} items`);
        break;
      case 'maxItems':
        if (Array.isArray(v) && v.length > (kw as number)) out.push(`${at}: more than ${kw} items`);
        break;
      case 'uniqueItems':
        if (kw === true && Array.isArray(v) && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) out.push(`${at}: items not unique`);
        break;
      case 'prefixItems':
        if (Array.isArray(v)) (kw as Schema[]).forEach((is, i) => i < v.length && check(v[i], is, root, `${at}[${i}]`, out));
        break;
      case 'items':
        if (Array.isArray(v)) {
          if (Array.isArray(kw)) (kw as Schema[]).forEach((is, i) => i < v.length && check(v[i], is, root, `${at}[${i}]`, out));
          else {
            const from = Array.isArray((s as Record<string, unknown>).prefixItems) ? ((s as Record<string, unknown>).prefixItems as unknown[]).length : 0;
            for (let i = from; i < v.length; i++) check(v[i], kw as Schema, root, `${at}[${i}]`, out);
          }
        }
        break;
      case 'contains':
        if (Array.isArray(v) && !v.some((x) => validateSub(x, kw as Schema, root))) out.push(`${at}: no item matches "contains"`);
        break;
      case 'required':
        if (typeOf(v) === 'object') for (const r of kw as string[]) if (!(r in (v as object))) out.push(`${at}: missing required "${r}"`);
        break;
      case 'properties':
        if (typeOf(v) === 'object') {
          for (const [p, ps] of Object.entries(kw as Record<string, Schema>)) {
            if (p in (v as object)) check((v as Record<string, unknown>)[p], ps, root, `${at}.${p}`, out);
          }
        }
        break;
      case 'patternProperties':
        if (typeOf(v) === 'object') {
          for (const [pat, ps] of Object.entries(kw as Record<string, Schema>)) {
            const re = new RegExp(pat, 'u');
            for (const [p, pv] of Object.entries(v as object)) if (re.test(p)) check(pv, ps, root, `${at}.${p}`, out);
          }
        }
        break;
      case 'additionalProperties':
        if (typeOf(v) === 'object') {
          const known = Object.keys(((s as Record<string, unknown>).properties as object) ?? {});
          const pats = Object.keys(((s as Record<string, unknown>).patternProperties as object) ?? {}).map((p) => new RegExp(p, 'u'));
          for (const [p, pv] of Object.entries(v as object)) {
            if (known.includes(p) || pats.some((re) => re.test(p))) continue;
            check(pv, kw as Schema, root, `${at}.${p}`, out);
          }
        }
        break;
      case 'propertyNames':
        if (typeOf(v) === 'object') for (const p of Object.keys(v as object)) check(p, kw as Schema, root, `${at}{${p}}`, out);
        break;
      case 'minProperties':
        if (typeOf(v) === 'object' && Object.keys(v as object).length < (kw as number)) out.push(`${at}: fewer than ${kw} properties`);
        break;
      case 'maxProperties':
        if (typeOf(v) === 'object' && Object.keys(v as object).length > (kw as number)) out.push(`${at}: more than ${kw} properties`);
        break;
      case 'dependentRequired':
        if (typeOf(v) === 'object') {
          for (const [p, deps] of Object.entries(kw as Record<string, string[]>)) {
            if (p in (v as object)) for (const d of deps) if (!(d in (v as object))) out.push(`${at}: "${p}" requires "${d}"`);
          }
        }
        break;
      case 'allOf':
        for (const sub of kw as Schema[]) check(v, sub, root, at, out);
        break;
      case 'anyOf':
        if (!(kw as Schema[]).some((sub) => validateSub(v, sub, root))) out.push(`${at}: matches none of anyOf`);
        break;
      case 'oneOf': {
        const n = (kw as Schema[]).filter((sub) => validateSub(v, sub, root)).length;
        if (n !== 1) out.push(`${at}: matches ${n} of oneOf (expected 1)`);
        break;
      }
      case 'not':
        if (validateSub(v, kw as Schema, root)) out.push(`${at}: matches "not"`);
        break;
      case 'if': {
        const rec = s as Record<string, unknown>;
        const branch = validateSub(v, kw as Schema, root) ? rec.then : rec.else;
        if (branch !== undefined) check(v, branch as Schema, root, at, out);
        break;
      }
      case 'then':
      case 'else':
        break; // handled with "if"
      default:
        out.push(`${at}: schema keyword "${k}" is not supported by the test validator`);
    }
  }
}

function validateSub(v: unknown, s: Schema, root: Schema): boolean {
  const out: string[] = [];
  check(v, s, root, '$', out);
  return out.length === 0;
}
