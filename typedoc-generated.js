// TypeDoc plugin: the members nested inside the generated OpenAPI types and the operation
// manifest (PlatformPaths, IamComponents, operations, ...) are described by the Astro API
// documents, not by TSDoc the project could write; requiring a comment on each of their ~1,700
// members (response headers, content types, ...) would make the documentation check useless.
// The exports themselves, and everything declared outside generated/, must still be documented.
import { dirname, relative, sep } from "node:path";
import { Converter, ReflectionKind } from "typedoc";

/** Top-level names whose nested members are exempt, as the package exports them. */
const GENERATED_DATA = new Set([
  "PlatformPaths",
  "PlatformComponents",
  "IamPaths",
  "IamComponents",
  "V1Paths",
  "V1Components",
  "operationsByDocument",
  "operations",
  "specs",
]);

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const exempt = app.options.getValue("intentionallyNotDocumented");
    // generated/ beside the tsconfig the documentation is built from.
    const root = dirname(app.options.getValue("tsconfig"));
    const generated = (file) => relative(root, file).startsWith(`generated${sep}`);
    for (const reflection of Object.values(context.project.reflections)) {
      if (reflection.hasComment()) continue;
      const fromGenerated = reflection.sources?.every((source) => generated(source.fullFileName));
      if (!fromGenerated) continue;
      let top = reflection.parent;
      while (top?.parent && !top.parent.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project))
        top = top.parent;
      if (!top || top === reflection || !GENERATED_DATA.has(top.name)) continue;
      // Many members share a name (every operation's `queryParams.name`); TypeDoc reports an
      // entry of this list that matched nothing, so each name goes in once.
      const name = reflection.getFriendlyFullName();
      if (!exempt.includes(name)) exempt.push(name);
    }
  });
}
