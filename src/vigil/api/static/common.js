// Vigil dashboard: helpers shared by the map page and the event page.
// Article text is untrusted: everything from the API reaches the page through textContent or
// setAttribute on known attributes, never through innerHTML.
"use strict";

const Vigil = {};

// One colour per ACLED event type; anything else falls back to grey.
Vigil.TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
Vigil.colour = (type) => Vigil.TYPE_COLOURS[type] || "#555555";

// el("a", {href: "/x", class: "y"}, "text", child) -> element; strings become text nodes.
Vigil.el = function (tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

const SVG_NS = "http://www.w3.org/2000/svg";
Vigil.svg = function (tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
};

// A colour chip; the colour goes through the CSSOM because the CSP forbids style attributes.
Vigil.swatch = function (colour) {
  const chip = Vigil.el("span", { class: "swatch" });
  chip.style.background = colour;
  return chip;
};

Vigil.clear = function (node) {
  while (node.firstChild) node.removeChild(node.firstChild);
};

// GET a JSON document from the API; an error shape {"error": {...}} becomes a thrown Error.
Vigil.getJSON = async function (url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return body;
};

Vigil.showError = function (where, error) {
  const box = document.getElementById("error");
  if (!box) return;
  box.hidden = false;
  box.textContent = `${where}: ${error.message || error}`;
};

// Web Mercator (the projection of online tiles), so that an optional tile layer lines up with
// the bundled outlines. x, y are in [0, 1] for the whole world; latitudes are clamped.
Vigil.project = function (lon, lat) {
  const clamped = Math.max(-85, Math.min(85, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
};

Vigil.fatalitiesText = function (e) {
  if (e.fatalities === null || e.fatalities === undefined) return "";
  const low = e.fatalities_low, high = e.fatalities_high;
  if (low !== null && high !== null && low !== undefined && (low !== e.fatalities || high !== e.fatalities)) {
    return `${e.fatalities} (${low}–${high})`;
  }
  return String(e.fatalities);
};

// "Bamako, Mali", not "Bamako, Bamako, Mali" when the place names its own region.
Vigil.placeText = function (e) {
  const parts = [e.location, e.admin1, e.country].filter((x) => x);
  return parts.filter((x, i) => i === 0 || x !== parts[i - 1]).join(", ");
};
