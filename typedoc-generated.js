// TypeDoc plugin: the members nested inside the generated OpenAPI types and the operation
// manifest (PlatformPaths, IamComponents, operations, ...) are described by the Astro API
// documents, not by TSDoc the project could write; requiring a comment on each of their ~1,700
// members (response headers, content types, ...) would make the documentation check useless.
// The exports themselves, and everything declared outside generated/, must still be documented;
// the `*Components` exports, re-exported under a new name where no TSDoc can go, get theirs here.
import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { Comment, Converter, ParameterType, ReflectionKind } from "typedoc";

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

/** The document each `*Components` export comes from, for the comment the plugin gives it. */
const COMPONENTS = {
  V1Components: "v1",
  PlatformComponents: "v1beta1 Platform",
  IamComponents: "v1beta1 IAM",
};

/** @param {import("typedoc").Application} app */
export function load(app) {
  // `intentionallyNotExported` warns about an entry that matched nothing, so the repository's list
  // would fail a run over another library with this configuration (test/hygiene does that): the
  // entries whose file exists beside the tsconfig are passed on, the others dropped.
  app.options.addDeclaration({
    name: "notExportedIfPresent",
    help: "`file:Name` entries for intentionallyNotExported, applied when the file exists",
    type: ParameterType.Array,
    defaultValue: [],
  });
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const exempt = app.options.getValue("intentionallyNotDocumented");
    // generated/ beside the tsconfig the documentation is built from.
    const root = dirname(app.options.getValue("tsconfig"));
    const notExported = app.options.getValue("intentionallyNotExported");
    for (const entry of app.options.getValue("notExportedIfPresent")) {
      const file = entry.slice(0, entry.lastIndexOf(":"));
      if (existsSync(join(root, file)) && !notExported.includes(entry)) notExported.push(entry);
    }
    const generated = (file) => relative(root, file).startsWith(`generated${sep}`);
    for (const reflection of Object.values(context.project.reflections)) {
      if (reflection.hasComment()) continue;
      const fromGenerated = reflection.sources?.every((source) => generated(source.fullFileName));
      if (!fromGenerated) continue;
      const document = Object.hasOwn(COMPONENTS, reflection.name) ? COMPONENTS[reflection.name] : undefined;
      if (document && reflection.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project)) {
        reflection.comment = new Comment([
          {
            kind: "text",
            text: `The reusable schemas, responses and parameters of the ${document} document, as openapi-typescript writes them (e.g. \`${reflection.name}["schemas"]\`).`,
          },
        ]);
        continue;
      }
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
