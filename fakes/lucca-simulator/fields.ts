/**
 * Lucca's legacy v3 `fields` parameter: `id,name,owner[id,lastName],entries[id,amount]`, validated the
 * way Lucca's API framework does it (LuccaSA/RestDrivenDomain, src/Rdd.Domain/Helpers/Expressions/
 * ExpressionParser.cs): every selected name must be a property of the type it is selected on, looked up
 * with `BindingFlags.IgnoreCase` (so `createdat`, as Lucca's own guide writes it, is `createdAt`), nested
 * selections are checked against the property's type, and an unknown name is a 400 BadRequestException
 * "Selected property {member} does not exist on objet of type {Type}" (sic). A sub-selection on a plain
 * value (a string, a number) fails the same way: a string has no property of that name.
 */
export interface FieldTree {
  [name: string]: FieldTree | true;
}

/** A type of Lucca's model as the simulator knows it: each property is a plain value or another type. */
export interface TypeModel {
  name: string;
  properties: Record<string, TypeModel | 'value'>;
}

export class SelectionError extends Error {}

/** Parses `a,b[c,d]` into a tree keyed by the names as written (validation comes next). */
export function parseFields(text: string): FieldTree {
  const root: FieldTree = {};
  const stack: FieldTree[] = [root];
  let name = '';
  const add = () => {
    const key = name.trim();
    if (key) stack[stack.length - 1]![key] ??= true;
    name = '';
  };
  for (const char of text) {
    if (char === ',') add();
    else if (char === '[') {
      const key = name.trim();
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

/** The property of `type` called `name`, ignoring case (BindingFlags.IgnoreCase), or undefined. */
export function propertyOf(type: TypeModel, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.keys(type.properties).find((p) => p.toLowerCase() === wanted);
}

/**
 * Checks a selection against `type` and returns it keyed by the properties' own spelling.
 * Throws SelectionError with Lucca's message for the first name that does not exist.
 */
export function validateFields(tree: FieldTree, type: TypeModel | 'value', typeName = 'String'): FieldTree {
  const out: FieldTree = {};
  for (const [name, sub] of Object.entries(tree)) {
    const property = type === 'value' ? undefined : propertyOf(type, name);
    if (property === undefined) {
      const on = type === 'value' ? typeName : type.name;
      throw new SelectionError(`Selected property ${name} does not exist on objet of type ${on}`);
    }
    const propertyType = (type as TypeModel).properties[property]!;
    out[property] = sub === true ? true : validateFields(sub, propertyType);
  }
  return out;
}

/** Keeps the selected fields of `value` (objects and arrays of objects alike); the tree is validated. */
export function project(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  if (typeof value !== 'object' || value === null) return value;
  // Walks the selection, not the object: a property is only read (built) when it is selected.
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, wanted] of Object.entries(tree)) {
    if (!(key in record)) continue;
    out[key] = wanted === true ? record[key] : project(record[key], wanted);
  }
  return out;
}
