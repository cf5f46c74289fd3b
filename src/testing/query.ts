/**
 * A query string as the values its parameters declare: `limit=5` → 5, `isLookUpOnly=true` →
 * true, `names=a` → ["a"] for an array parameter. Done here rather than by the validator, so
 * paging and filters work the same with validation off. A value that does not convert stays a
 * string, for the validator to report.
 */
import type { FakeOperation, FakeSchema } from "./model.js";

/**
 * Numbers as Astro's API parses them: decimal digits, no `0x10`, `1e1`, spaces or `Infinity`
 * (which `Number()` would take), and integers that fit; anything else stays a string.
 */
const INTEGER = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

function convert(value: string, schema: FakeSchema | undefined): unknown {
  const type = schema?.type;
  if ((type === "integer" && INTEGER.test(value)) || (type === "number" && DECIMAL.test(value)))
    return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

export function readQuery(operation: FakeOperation, params: URLSearchParams): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const schema = operation.params.find((p) => p.in === "query" && p.name === name)?.schema;
    if (schema?.type === "array")
      query[name] = values.map((v) => convert(v, schema.items as FakeSchema | undefined));
    else query[name] = convert(values.at(-1)!, schema);
  }
  return query;
}
