// Loaded after Leaflet and before folium's map script: remembers the layer controls folium creates,
// so that the page scripts can add their overlays to the same switcher.
"use strict";
(() => {
  const create = L.control.layers;
  window.TailingsLayerControls = [];
  L.control.layers = function (...args) {
    const control = create.apply(this, args);
    window.TailingsLayerControls.push(control);
    return control;
  };
})();
