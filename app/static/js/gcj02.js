// GCJ-02 basemaps (AMap/Gaode) under WGS84/CGCS2000 overlays: the forward formula of gis/gcj02.py, and a
// shift of every GCJ-02 tile layer by the offset at the view's centre, recomputed as the view moves.
// The offset changes by a few metres across a city view, far less than a pixel at pond scale.
"use strict";

const Gcj02 = (() => {
  const A = 6378245.0;
  const EE = 0.00669342162296594323;
  const outside = (lon, lat) => !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  function dlat(x, y) {
    let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320.0 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function dlon(x, y) {
    let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function fromWgs84(lon, lat) {
    if (outside(lon, lat)) return [lon, lat];
    let dy = dlat(lon - 105.0, lat - 35.0);
    let dx = dlon(lon - 105.0, lat - 35.0);
    const rad = lat / 180.0 * Math.PI;
    const magic = 1 - EE * Math.sin(rad) ** 2;
    const sqrtMagic = Math.sqrt(magic);
    dy = (dy * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dx = (dx * 180.0) / (A / sqrtMagic * Math.cos(rad) * Math.PI);
    return [lon + dx, lat + dy];
  }

  // Shift GCJ-02 tile layers so that what they show at a place is drawn where that place is.
  function alignBasemaps(map) {
    function update() {
      const centre = map.getCenter();
      const [glon, glat] = fromWgs84(centre.lng, centre.lat);
      const zoom = map.getZoom();  // project(), unlike latLngToLayerPoint(), does not round to whole pixels
      const here = map.project(centre, zoom);
      const there = map.project([glat, glon], zoom);
      const dx = here.x - there.x;
      const dy = here.y - there.y;
      map.eachLayer((layer) => {
        if (layer instanceof L.TileLayer && layer.options.gcj02 && layer.getContainer()) {
          layer.getContainer().style.transform = `translate(${dx}px, ${dy}px)`;
          layer.getContainer().dataset.gcjShift = `${dx.toFixed(2)},${dy.toFixed(2)}`;
        }
      });
    }
    map.on("moveend zoomend baselayerchange layeradd", update);
    update();
  }

  return { fromWgs84, alignBasemaps };
})();

document.addEventListener("DOMContentLoaded", () => Gcj02.alignBasemaps(Page.map()));
