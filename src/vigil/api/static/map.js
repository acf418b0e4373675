// Vigil dashboard: the map. An SVG with the bundled country outlines (world-110m.json) in Web
// Mercator, one circle per event (area ~ fatalities, colour ~ event type), wheel zoom and drag
// pan, and an optional online tile layer when the server is configured with one.
"use strict";

Vigil.Map = class {
  constructor(svg, options) {
    this.svg = svg;
    this.tiles = options.tiles || "";
    this.onSelect = options.onSelect || (() => {});
    this.size = 1000; // world width in SVG units; the viewBox moves over it
    this.view = { x: 0, y: 0, w: this.size, h: this.size * 0.6 };
    this.tileLayer = Vigil.svg("g", { class: "tiles" });
    this.landLayer = Vigil.svg("g", { class: "land" });
    this.eventLayer = Vigil.svg("g", { class: "events" });
    svg.append(this.tileLayer, this.landLayer, this.eventLayer);
    this.attachPanZoom();
    this.applyView();
  }

  xy(lon, lat) {
    const [x, y] = Vigil.project(lon, lat);
    return [x * this.size, y * this.size];
  }

  // Rings are flat [lon, lat, lon, lat, ...] lists (see scripts/topojson_to_outlines.py).
  drawBasemap(basemap) {
    Vigil.clear(this.landLayer);
    for (const country of basemap.countries) {
      let d = "";
      for (const ring of country.rings) {
        let previousLon = null;
        for (let i = 0; i < ring.length; i += 2) {
          const [x, y] = this.xy(ring[i], ring[i + 1]);
          // A ring crossing the antimeridian would draw a line across the world: lift the pen.
          const jump = previousLon !== null && Math.abs(ring[i] - previousLon) > 180;
          d += `${i === 0 || jump ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
          previousLon = ring[i];
        }
        d += "Z";
      }
      this.landLayer.append(Vigil.svg("path", { d, "data-country": country.id || "" }));
    }
  }

  drawEvents(events) {
    Vigil.clear(this.eventLayer);
    const placed = events.filter((e) => e.latitude !== null && e.longitude !== null);
    // Largest first, so that small circles stay clickable on top of big ones.
    placed.sort((a, b) => (b.fatalities || 0) - (a.fatalities || 0));
    for (const e of placed) {
      const [x, y] = this.xy(e.longitude, e.latitude);
      const circle = Vigil.svg("circle", {
        cx: x.toFixed(2), cy: y.toFixed(2), r: 1,
        fill: Vigil.colour(e.event_type), class: "event", "data-id": e.id,
        "data-fatalities": e.fatalities || 0,
      });
      circle.append(Vigil.svg("title", {}, `${e.event_date} ${e.event_type}: ${Vigil.placeText(e)} (${e.fatalities || 0} killed)`));
      circle.addEventListener("click", () => this.onSelect(e));
      this.eventLayer.append(circle);
    }
    this.resizeCircles();
    return placed.length;
  }

  // Fit the view to the events (or to the world when there are none).
  fit(events) {
    const pts = events.filter((e) => e.latitude !== null && e.longitude !== null).map((e) => this.xy(e.longitude, e.latitude));
    if (pts.length === 0) {
      this.view = { x: 0, y: 100, w: this.size, h: this.size * 0.6 };
    } else {
      const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
      const pad = 15;
      let x0 = Math.min(...xs) - pad, x1 = Math.max(...xs) + pad;
      let y0 = Math.min(...ys) - pad, y1 = Math.max(...ys) + pad;
      const aspect = this.svg.clientHeight / Math.max(1, this.svg.clientWidth) || 0.6;
      // Keep the screen's aspect ratio: grow the narrow side around its centre.
      if ((y1 - y0) / (x1 - x0) < aspect) {
        const cy = (y0 + y1) / 2, h = (x1 - x0) * aspect;
        y0 = cy - h / 2; y1 = cy + h / 2;
      } else {
        const cx = (x0 + x1) / 2, w = (y1 - y0) / aspect;
        x0 = cx - w / 2; x1 = cx + w / 2;
      }
      this.view = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    }
    this.applyView();
  }

  applyView() {
    const v = this.view;
    this.svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
    this.resizeCircles();
    this.drawTiles();
  }

  // Circle radii and outline widths are in screen pixels, whatever the zoom.
  resizeCircles() {
    const pixel = this.view.w / Math.max(1, this.svg.clientWidth || 800);
    this.landLayer.setAttribute("stroke-width", (0.8 * pixel).toFixed(4));
    for (const c of this.eventLayer.children) {
      const f = Number(c.getAttribute("data-fatalities"));
      c.setAttribute("r", ((5 + 2.2 * Math.sqrt(f)) * pixel).toFixed(3));
      c.setAttribute("stroke-width", (0.8 * pixel).toFixed(4));
    }
  }

  drawTiles() {
    if (!this.tiles) return;
    Vigil.clear(this.tileLayer);
    const screen = Math.max(1, this.svg.clientWidth || 800);
    const z = Math.max(0, Math.min(18, Math.round(Math.log2((screen / this.view.w) * this.size / 256))));
    const n = 2 ** z, tile = this.size / n;
    const x0 = Math.max(0, Math.floor(this.view.x / tile)), x1 = Math.min(n - 1, Math.floor((this.view.x + this.view.w) / tile));
    const y0 = Math.max(0, Math.floor(this.view.y / tile)), y1 = Math.min(n - 1, Math.floor((this.view.y + this.view.h) / tile));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) return; // never flood the tile server
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const href = this.tiles.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        this.tileLayer.append(Vigil.svg("image", { href, x: x * tile, y: y * tile, width: tile, height: tile }));
      }
    }
  }

  attachPanZoom() {
    this.svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const rect = this.svg.getBoundingClientRect();
      const fx = (ev.clientX - rect.left) / rect.width, fy = (ev.clientY - rect.top) / rect.height;
      const k = ev.deltaY < 0 ? 0.8 : 1.25;
      const v = this.view, w = v.w * k, h = v.h * k;
      if (w < 2 || w > this.size * 2) return;
      this.view = { x: v.x + (v.w - w) * fx, y: v.y + (v.h - h) * fy, w, h };
      this.applyView();
    }, { passive: false });
    let drag = null;
    this.svg.addEventListener("pointerdown", (ev) => {
      if (ev.target.classList.contains("event")) return;
      drag = { x: ev.clientX, y: ev.clientY, view: { ...this.view } };
      this.svg.setPointerCapture(ev.pointerId);
    });
    this.svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const scale = drag.view.w / Math.max(1, this.svg.clientWidth);
      this.view = { ...drag.view, x: drag.view.x - (ev.clientX - drag.x) * scale, y: drag.view.y - (ev.clientY - drag.y) * scale };
      this.applyView();
    });
    this.svg.addEventListener("pointerup", () => { drag = null; });
  }
};
