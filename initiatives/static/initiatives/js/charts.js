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
    element.textContent = "";
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data || [], figure.layout || {}, config(element));
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
