/* Draws every chart of a page: each <div data-plotly-figure="ID"> gets the figure stored in the
   <script type="application/json" id="ID"> that json_script wrote. No inline script: the strict CSP holds.
   The base map is fetched from our own static files (data-topojson-url on the chart), never from a CDN. */
(function () {
  "use strict";

  function config(element) {
    return {
      responsive: true,
      displayModeBar: false,
      displaylogo: false,
      scrollZoom: false,
      topojsonURL: element.getAttribute("data-topojson-url") || undefined,
      locale: document.documentElement.lang || "en"
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-plotly-figure"));
    if (!source || typeof window.Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    var narrow = layout.meta && layout.meta.narrow;
    if (narrow && element.clientWidth < 640) {
      // A figure may carry a lighter layout for phones: objects merge, lists and numbers replace.
      Object.keys(narrow).forEach(function (key) {
        var value = narrow[key];
        var replace = Array.isArray(value) || value === null || typeof value !== "object";
        layout[key] = replace ? value : Object.assign({}, layout[key], value);
      });
    }
    element.textContent = "";
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data || [], layout, config(element));
  }

  function drawAll() {
    var elements = document.querySelectorAll("[data-plotly-figure]");
    for (var i = 0; i < elements.length; i++) {
      draw(elements[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
