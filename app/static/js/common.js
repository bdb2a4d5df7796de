// Shared helpers of the map pages. User text only ever reaches the page through textContent.
"use strict";

const Page = (() => {
  const data = JSON.parse(document.getElementById("page-data").textContent);

  function t(key, params) {
    let s = (data.strings && data.strings[key]) || key;
    for (const [k, v] of Object.entries(params || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }

  // el("a", {href: "/x", class: "y"}, "text", child, ...): an element; strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function label(labels) {
    if (!labels) return "";
    return labels[data.lang] || labels.zh || Object.values(labels)[0];
  }

  // The folium map and its layer control, once folium's script has created them.
  function map() { return window[data.map]; }
  // folium declares its layer control with `let`, which no other script can reach by name without eval
  // (and our CSP forbids eval): capture.js, loaded before folium's script, keeps every control created.
  function layerControl() { return (window.TailingsLayerControls || [])[0]; }

  return { data, t, el, label, map, layerControl };
})();
