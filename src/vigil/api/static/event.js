// Vigil event page: the fused event, its claims side by side, and every report's article text
// with the evidence of each field highlighted. Article text is inserted with text nodes only.
"use strict";

(function () {
  const KIND_LABELS = { killed: "killed", injured: "injured", abducted: "abducted", arrested: "arrested" };

  function eventId() {
    const parts = window.location.pathname.split("/");
    return decodeURIComponent(parts[parts.length - 1]);
  }

  function field(label, value) {
    if (value === null || value === undefined || value === "") return null;
    return Vigil.el("div", { class: "field" }, Vigil.el("dt", {}, label), Vigil.el("dd", {}, value));
  }

  function drawSummary(e) {
    const box = document.getElementById("event-summary");
    Vigil.clear(box);
    document.title = `Vigil: ${e.event_type} ${e.event_date}`;
    box.append(Vigil.el("h2", {}, Vigil.swatch(Vigil.colour(e.event_type)), `${e.sub_event_type || e.event_type}, ${Vigil.placeText(e)}`));
    const coordinates = e.latitude !== null && e.longitude !== null ? `${e.latitude}, ${e.longitude} (geo precision ${e.geo_precision})` : null;
    box.append(Vigil.el("dl", { class: "fields" },
      field("Date", `${e.event_date} (${e.date_precision})`),
      field("Type", `${e.event_type} / ${e.sub_event_type}`),
      field("Place", Vigil.placeText(e)),
      field("Coordinates", coordinates),
      field("Actor 1", e.actor1),
      field("Actor 2", e.actor2),
      field("Fatalities", Vigil.fatalitiesText(e)),
      field("Injuries", e.injuries),
      field("Reports", e.n_reports)));
  }

  function claimCard(c) {
    const bounds = c.low !== null && (c.low !== c.value || c.high !== c.value)
      ? ` (${c.low}–${c.high === null ? "?" : c.high})` : "";
    const source = c.source ? `${c.source} (${c.source_kind})` : c.source_kind;
    return Vigil.el("div", { class: "claim", "data-kind": c.kind },
      Vigil.el("div", { class: "value" }, `${c.hedge ? c.hedge + " " : ""}${c.value}${bounds}`),
      Vigil.el("div", {}, `${KIND_LABELS[c.kind] || c.kind}${c.group ? ": " + c.group : ""}`),
      Vigil.el("div", { class: "who" }, `according to ${source}`),
      Vigil.el("div", { class: "where" }, c.article_source || c.article_title || c.article_id || ""),
      c.span ? Vigil.el("blockquote", {}, c.span.text) : null);
  }

  function drawClaims(e) {
    const box = document.getElementById("claims");
    Vigil.clear(box);
    const kinds = [...new Set(e.claims.map((c) => c.kind))];
    if (kinds.length === 0) box.append(Vigil.el("p", {}, "No numbers reported."));
    for (const kind of kinds) {
      const row = Vigil.el("div", { class: "claim-row" }, Vigil.el("h3", {}, KIND_LABELS[kind] || kind));
      for (const c of e.claims.filter((x) => x.kind === kind)) row.append(claimCard(c));
      box.append(row);
    }
    const list = document.getElementById("disagreements");
    Vigil.clear(list);
    for (const d of e.disagreements) list.append(Vigil.el("li", {}, d));
  }

  // Every span of one mention that the page highlights, with its CSS class and label.
  function spansOf(m) {
    const out = [];
    const add = (span, cls, label) => { if (span && span.end > span.start) out.push({ start: span.start, end: span.end, cls, label }); };
    add(m.evidence, "ev", "evidence");
    add(m.trigger, "f-trigger", `trigger: ${m.event_type}`);
    if (m.date) add(m.date.span, "f-date", `date: ${m.date.value}`);
    if (m.location) add(m.location.span, "f-place", `place: ${m.location.place ? m.location.place.name : m.location.toponym}`);
    for (const a of m.actors || []) add(a.span, "f-actor", `${a.role}: ${a.actor.name}`);
    for (const c of m.claims || []) {
      add(c.span, "f-claim", `${c.kind}: ${c.value}`);
      add(c.source_span, "f-source", `source: ${c.source_kind}`);
    }
    if (m.responsibility) add(m.responsibility.span, "f-actor", `claims responsibility: ${m.responsibility.actor.name}`);
    return out;
  }

  // Split the text at every span boundary; each piece takes the class of the narrowest field
  // span over it (evidence alone when there is none), and a title listing all of them.
  function highlighted(text, spans) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(Math.max(0, Math.min(text.length, s.start))); cuts.add(Math.max(0, Math.min(text.length, s.end))); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const over = spans.filter((s) => s.start <= a && s.end >= b);
      if (over.length === 0) { out.append(document.createTextNode(piece)); continue; }
      const fields = over.filter((s) => s.cls !== "ev").sort((x, y) => (x.end - x.start) - (y.end - y.start));
      const inEvidence = over.some((s) => s.cls === "ev");
      const cls = fields.length ? `${fields[0].cls}${inEvidence ? " in-ev" : ""}` : "ev";
      out.append(Vigil.el("mark", { class: cls, title: over.map((s) => s.label).join("; ") }, piece));
    }
    return out;
  }

  function drawReports(e) {
    const box = document.getElementById("reports");
    Vigil.clear(box);
    for (const report of e.reports) {
      const a = report.article;
      const heading = Vigil.el("h3", {}, a.title || a.source || a.id);
      const meta = Vigil.el("p", { class: "meta" },
        [a.source, a.published].filter((x) => x).join(", "), " ",
        a.url && /^https?:\/\//i.test(a.url) ? Vigil.el("a", { href: a.url, rel: "noopener noreferrer nofollow" }, "original") : null);
      const spans = report.mentions.flatMap(spansOf);
      const reasons = report.mentions.flatMap((m) => m.reasons || []);
      const body = Vigil.el("div", { class: "article-text" }, highlighted(a.text || "", spans));
      const article = Vigil.el("article", { class: "report", "data-article": a.id }, heading, meta, body);
      if (reasons.length) article.append(Vigil.el("ul", { class: "reasons" }, ...reasons.map((r) => Vigil.el("li", {}, r))));
      box.append(article);
    }
  }

  async function start() {
    const back = document.getElementById("back");
    back.setAttribute("href", `/${window.location.search}`);
    const e = await Vigil.getJSON(`/api/events/${encodeURIComponent(eventId())}`);
    drawSummary(e);
    drawClaims(e);
    drawReports(e);
    document.body.setAttribute("data-loaded", "1");
  }

  start().catch((error) => Vigil.showError("loading the event", error));
})();
