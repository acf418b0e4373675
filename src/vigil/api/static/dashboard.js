// Vigil dashboard: filters <-> URL, then the map, the weekly timeline and the event list, all
// drawn from /api/events and /api/stats with the same filters.
"use strict";

(function () {
  const FILTERS = ["date_from", "date_to", "country", "event_type", "actor", "q", "min_fatalities"];
  const PAGE = 1000; // the API's largest page; the summary says when there are more
  const form = document.getElementById("filters");
  const svgMap = document.getElementById("map");
  let map = null;
  let request = 0; // only the latest request may draw

  function filtersFromURL() {
    const params = new URLSearchParams(window.location.search);
    for (const name of FILTERS) {
      const input = form.elements[name];
      const value = params.get(name) || "";
      if (input.tagName === "SELECT" && value && ![...input.options].some((o) => o.value === value)) {
        input.append(Vigil.el("option", { value }, value));
      }
      input.value = value;
    }
  }

  function currentFilters() {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function drawLegend() {
    const legend = document.getElementById("legend");
    Vigil.clear(legend);
    for (const [type, colour] of Object.entries(Vigil.TYPE_COLOURS)) {
      legend.append(Vigil.swatch(colour), Vigil.el("span", {}, type));
    }
    legend.append(Vigil.el("span", { class: "note" }, "circle area ~ fatalities"));
  }

  function drawList(events) {
    const body = document.querySelector("#events tbody");
    Vigil.clear(body);
    const query = window.location.search;
    for (const e of events) {
      const actors = [e.actor1, e.actor2].filter((a) => a).join(" vs ");
      const link = Vigil.el("a", { href: `/events/${encodeURIComponent(e.id)}${query}` }, e.event_date);
      const type = Vigil.el("span", { class: "type" }, Vigil.swatch(Vigil.colour(e.event_type)), e.sub_event_type || e.event_type);
      body.append(Vigil.el("tr", { "data-id": e.id },
        Vigil.el("td", {}, link), Vigil.el("td", {}, type), Vigil.el("td", {}, Vigil.placeText(e)),
        Vigil.el("td", {}, actors), Vigil.el("td", { class: "num" }, Vigil.fatalitiesText(e))));
    }
  }

  // Bars per week: height ~ events, a darker inner bar ~ fatalities; a click narrows the dates.
  function drawTimeline(rows) {
    const svg = document.getElementById("timeline");
    Vigil.clear(svg);
    const width = Math.max(200, svg.clientWidth || 400), height = 90, axis = 14;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    if (rows.length === 0) {
      svg.append(Vigil.svg("text", { x: 8, y: 40, class: "empty" }, "no events"));
      return;
    }
    const first = new Date(rows[0].key + "T00:00:00Z"), last = new Date(rows[rows.length - 1].key + "T00:00:00Z");
    const weeks = Math.round((last - first) / (7 * 864e5)) + 1;
    const step = width / weeks;
    const maxEvents = Math.max(...rows.map((r) => r.events));
    const maxKilled = Math.max(1, ...rows.map((r) => r.fatalities));
    for (const r of rows) {
      const i = Math.round((new Date(r.key + "T00:00:00Z") - first) / (7 * 864e5));
      const h = ((height - axis - 4) * r.events) / maxEvents;
      const k = ((height - axis - 4) * r.fatalities) / maxKilled;
      const bar = Vigil.svg("g", { class: "week", "data-week": r.key });
      bar.append(Vigil.svg("rect", { x: i * step + 0.5, y: height - axis - h, width: Math.max(1, step - 1), height: h, class: "events-bar" }));
      bar.append(Vigil.svg("rect", { x: i * step + step * 0.3, y: height - axis - k, width: Math.max(1, step * 0.4), height: k, class: "killed-bar" }));
      bar.append(Vigil.svg("title", {}, `week of ${r.key}: ${r.events} events, ${r.fatalities} killed`));
      bar.addEventListener("click", () => {
        const end = new Date(new Date(r.key + "T00:00:00Z").getTime() + 6 * 864e5).toISOString().slice(0, 10);
        form.elements.date_from.value = r.key;
        form.elements.date_to.value = end;
        update();
      });
      svg.append(bar);
    }
    svg.append(Vigil.svg("text", { x: 2, y: height - 2, class: "axis" }, rows[0].key));
    svg.append(Vigil.svg("text", { x: width - 2, y: height - 2, class: "axis end" }, rows[rows.length - 1].key));
  }

  async function load(fit) {
    const mine = ++request;
    const params = currentFilters();
    const eventsURL = `/api/events?${params}&limit=${PAGE}&sort=-date`;
    const statsURL = `/api/stats?${params}&by=week`;
    try {
      const [page, weeks] = await Promise.all([Vigil.getJSON(eventsURL), Vigil.getJSON(statsURL)]);
      if (mine !== request) return;
      document.getElementById("error").hidden = true;
      const shown = map.drawEvents(page.events);
      if (fit) map.fit(page.events);
      drawList(page.events);
      drawTimeline(weeks.rows);
      const total = weeks.rows.reduce((n, r) => n + r.events, 0);
      const killed = weeks.rows.reduce((n, r) => n + r.fatalities, 0);
      const more = page.next_offset !== null ? ` (the ${PAGE} latest shown)` : "";
      document.getElementById("summary").textContent = `${total} events, ${killed} killed${more}; ${shown} on the map.`;
      document.body.setAttribute("data-loaded", String(mine));
    } catch (error) {
      Vigil.showError("loading events", error);
    }
  }

  let timer = null;
  function update() {
    const params = currentFilters().toString();
    window.history.replaceState(null, "", params ? `?${params}` : window.location.pathname);
    clearTimeout(timer);
    timer = setTimeout(() => load(true), 150);
  }

  async function fillChoices() {
    const typeSelect = form.elements.event_type;
    for (const type of Object.keys(Vigil.TYPE_COLOURS)) {
      if (![...typeSelect.options].some((o) => o.value === type)) typeSelect.append(Vigil.el("option", { value: type }, type));
    }
    try {
      const countries = await Vigil.getJSON("/api/stats?by=country");
      const select = form.elements.country;
      for (const row of countries.rows) {
        if (row.key && ![...select.options].some((o) => o.value === row.key)) {
          select.append(Vigil.el("option", { value: row.key }, `${row.key} (${row.events})`));
        }
      }
    } catch (error) {
      Vigil.showError("loading countries", error);
    }
  }

  async function start() {
    filtersFromURL();
    const [config, basemap] = await Promise.all([Vigil.getJSON("/api/config"), Vigil.getJSON("/static/world-110m.json")]);
    map = new Vigil.Map(svgMap, {
      tiles: config.tiles,
      onSelect: (e) => { window.location.href = `/events/${encodeURIComponent(e.id)}${window.location.search}`; },
    });
    map.drawBasemap(basemap);
    drawLegend();
    await fillChoices();
    filtersFromURL(); // again: the country options exist now
    form.addEventListener("change", update);
    form.addEventListener("input", (ev) => { if (ev.target.type === "search") update(); });
    form.addEventListener("submit", (ev) => { ev.preventDefault(); update(); });
    form.addEventListener("reset", () => setTimeout(update, 0));
    await load(true);
  }

  start().catch((error) => Vigil.showError("starting", error));
})();
