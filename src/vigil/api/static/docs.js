// Vigil API docs: the OpenAPI document rendered as a plain list, served offline (Swagger UI
// would come from a CDN).
"use strict";

(async function () {
  try {
    const spec = await Vigil.getJSON("/openapi.json");
    document.getElementById("title").textContent = `${spec.info.title} API ${spec.info.version}`;
    document.getElementById("description").textContent = spec.info.description || "";
    const box = document.getElementById("operations");
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const section = Vigil.el("section", { class: "op" },
          Vigil.el("h3", {}, Vigil.el("code", {}, `${method.toUpperCase()} ${path}`)),
          Vigil.el("p", {}, op.description || op.summary || ""));
        const params = op.parameters || [];
        if (params.length) {
          const rows = params.map((p) => {
            const schema = p.schema || {};
            const type = schema.type || (schema.anyOf || []).map((s) => s.type || s.format).filter((t) => t && t !== "null").join(" | ");
            const limits = ["minimum", "maximum", "maxLength", "pattern"].filter((k) => schema[k] !== undefined).map((k) => `${k} ${schema[k]}`).join(", ");
            return Vigil.el("tr", {}, Vigil.el("td", {}, Vigil.el("code", {}, p.name)), Vigil.el("td", {}, p.in),
              Vigil.el("td", {}, type || ""), Vigil.el("td", {}, schema.default !== undefined ? String(schema.default) : ""),
              Vigil.el("td", {}, [p.description || schema.description || "", limits].filter((x) => x).join(" — ")));
          });
          section.append(Vigil.el("table", {}, Vigil.el("thead", {}, Vigil.el("tr", {}, ...["name", "in", "type", "default", "notes"].map((h) => Vigil.el("th", {}, h)))),
            Vigil.el("tbody", {}, ...rows)));
        }
        const statuses = Object.keys(op.responses || {}).join(", ");
        section.append(Vigil.el("p", { class: "meta" }, `responses: ${statuses}`));
        box.append(section);
      }
    }
    document.body.setAttribute("data-loaded", "1");
  } catch (error) {
    Vigil.showError("loading /openapi.json", error);
  }
})();
