/* Draws every chart of a page: each <div data-plotly-figure="ID"> gets the figure stored in the
   <script type="application/json" id="ID"> that json_script wrote. No inline script: the strict CSP holds.
   plotly.js is not in the page's <head>: each chart names the partial bundle that draws its traces
   (data-plotly-bundle, chosen by initiatives/charts.py), which is loaded here, after the page is read, once
   per bundle; until it has drawn, the chart keeps its height and the page its text summary and table.
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

  function figureOf(element) {
    var source = document.getElementById(element.getAttribute("data-plotly-figure"));
    if (!source) {
      return null;
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
    figure.layout = layout;
    return figure;
  }

  // The chart's own height, before plotly.js arrives: the text below does not jump when it draws.
  function reserve(element, figure) {
    if (figure && figure.layout.height) {
      element.style.minHeight = figure.layout.height + "px";
    }
  }

  function draw(element, figure, Plotly) {
    element.textContent = "";
    element.classList.add("chart-drawn");
    Plotly.newPlot(element, figure.data || [], figure.layout, config(element)).then(function () {
      // a map's shapes arrive once its geometry is fetched, and are redrawn on resize: link them each time
      element.on("plotly_afterplot", function () { linkShapes(element); });
      linkShapes(element);
    });
  }

  function open(url) {
    // On a page shown as of a past day, the page opened keeps that day (as the links do: js/as_of.js).
    var bar = document.querySelector("[data-as-of]");
    var target = new URL(url, window.location.origin);
    if (bar && !target.searchParams.has("as_of")) {
      target.searchParams.set("as_of", bar.getAttribute("data-as-of"));
    }
    window.location.assign(target.pathname + target.search + target.hash);
  }

  function linkOf(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  // plotly keeps a trace on the first point of its calculated data only; the shape's trace group holds them all.
  function traceOf(shape) {
    for (var node = shape; node && node !== document; node = node.parentNode) {
      var data = node.__data__;
      if (data && data.trace) { return data.trace; }
      if (Array.isArray(data) && data[0] && data[0].trace) { return data[0].trace; }
    }
    return null;
  }

  // A map whose shapes carry a page (customdata, a path on this site): a click opens it, and each shape is a
  // link a keyboard user reaches with Tab and opens with Enter. The chart is then a group of links, not an image.
  function linkShapes(element) {
    var shapes = element.querySelectorAll(".choroplethlocation");
    var linked = 0;
    shapes.forEach(function (shape) {
      if (shape.hasAttribute("data-linked")) { linked += 1; return; }
      var point = shape.__data__;
      var trace = point && traceOf(shape);
      var url = trace && trace.customdata ? linkOf(trace.customdata[point.i]) : null;
      if (!url) { return; }
      linked += 1;
      shape.setAttribute("data-linked", "");
      shape.setAttribute("tabindex", "0");
      shape.setAttribute("role", "link");
      shape.setAttribute("aria-label", trace.text ? trace.text[point.i] : url);
      shape.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { open(url); }
      });
    });
    if (!linked || element.hasAttribute("data-links")) { return; }
    element.setAttribute("data-links", "");
    element.setAttribute("role", "group");
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      var url = point ? linkOf(point.customdata) : null;
      if (url) { open(url); }
    });
  }

  // Each bundle defines window.Plotly; they are loaded one after the other, and each chart is drawn with the
  // bundle it named, so that two bundles on one page would not mix.
  function load(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = function () { resolve(window.Plotly); };
      script.onerror = reject;
      document.body.appendChild(script);
    });
  }

  function drawAll() {
    var byBundle = {};
    var order = [];
    document.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      var figure = figureOf(element);
      var url = element.getAttribute("data-plotly-bundle");
      if (!figure || !url) {
        return;
      }
      reserve(element, figure);
      if (!byBundle[url]) {
        byBundle[url] = [];
        order.push(url);
      }
      byBundle[url].push([element, figure]);
    });
    order.reduce(function (previous, url) {
      return previous.then(function () { return load(url); }).then(function (Plotly) {
        byBundle[url].forEach(function (pair) { draw(pair[0], pair[1], Plotly); });
      });
    }, Promise.resolve()).catch(function () { /* the text summaries and tables stay */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
