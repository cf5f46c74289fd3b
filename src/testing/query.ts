/**
 * A query string as the values its parameters declare: `limit=5` → 5, `isLookUpOnly=true` →
 * true, `names=a` → ["a"] for an array parameter. Done here rather than by the validator, so
 * paging and filters work the same with validation off. A value that does not convert stays a
 * string, for the validator to report.
 */
import type { FakeOperation, FakeSchema } from "./model.js";

function convert(value: string, schema: FakeSchema | undefined): unknown {
  const type = schema?.type;
  if ((type === "integer" || type === "number") && value.trim() !== "" && Number.isFinite(Number(value)))
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
