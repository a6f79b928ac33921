/**
 * Lucca's legacy v3 `fields` parameter: `id,name,owner[id,lastName],entries[id,amount]`
 * (LuccaSA/RestDrivenDomain). Names match case-insensitively, as in Lucca's own guide (`createdat`).
 */
export interface FieldTree {
  [name: string]: FieldTree | true;
}

export function parseFields(text: string): FieldTree {
  const root: FieldTree = {};
  const stack: FieldTree[] = [root];
  let name = '';
  const add = () => {
    const key = name.trim().toLowerCase();
    if (key) stack[stack.length - 1]![key] ??= true;
    name = '';
  };
  for (const char of text) {
    if (char === ',') add();
    else if (char === '[') {
      const key = name.trim().toLowerCase();
      const child: FieldTree = {};
      stack[stack.length - 1]![key] = child;
      stack.push(child);
      name = '';
    } else if (char === ']') {
      add();
      if (stack.length > 1) stack.pop();
    } else name += char;
  }
  add();
  return root;
}

/** Keeps the requested fields of `value` (objects and arrays of objects alike). */
export function project(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const wanted = tree[key.toLowerCase()];
    if (wanted === undefined) continue;
    out[key] = wanted === true ? field : project(field, wanted);
  }
  return out;
}
