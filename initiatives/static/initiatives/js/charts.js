/* Draws every chart of a page: each <div data-plotly-figure="ID"> gets the figure stored in the
   <script type="application/json" id="ID"> that json_script wrote. No inline script: the strict CSP holds.
   plotly.js is not in the page's <head>: each chart names the partial bundle that draws its traces
   (data-plotly-bundle, chosen by initiatives/charts.py), which is loaded here once the page is read and the
   chart comes near the screen, once per bundle; until it has drawn, the chart keeps its height and the page
   its text summary and table.
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
      // A figure may carry a lighter layout for phones, and in `data` changes to its traces by position (a
      // legend name wrapped; null: none): objects merge, lists and numbers replace.
      (narrow.data || []).forEach(function (changes, index) {
        if (changes && figure.data && figure.data[index]) {
          merge(figure.data[index], changes);
        }
      });
      var changes = Object.assign({}, narrow);
      delete changes.data;
      merge(layout, changes);
    }
    figure.layout = layout;
    fitMargins(element, figure);
    return figure;
  }

  function merge(target, changes) {
    Object.keys(changes).forEach(function (key) {
      var value = changes[key];
      var replace = Array.isArray(value) || value === null || typeof value !== "object";
      target[key] = replace ? value : Object.assign({}, target[key], value);
    });
  }

  // Margins measured here, before drawing, in the reader's own font (on a canvas), instead of by plotly.js's
  // automargin, which draws the whole chart a second time once it has measured its labels itself:
  // - meta.fit_labels {axis, side, pad}: the side of a category axis whose labels the figure names;
  // - meta.fit_bottom {axis, room, pad, row, entry}: the foot of the plot, where the bottom axis's ticks (`room`
  //   pixels) sit over the legend (`pad` and `row` pixels a row), when the chart is not a phone's (whose ticks
  //   may turn) and the legend's rows are sure; otherwise plotly.js measures them.
  // Where nothing can be measured, the figure's automargin stays on.
  var measurer;

  function textWidth(text, font) {
    measurer = measurer === undefined ? document.createElement("canvas").getContext("2d") : measurer;
    if (!measurer) {
      return null;
    }
    var css = font.size + "px " + font.family;
    if (measurer.font !== css) {
      measurer.font = css;
    }
    return String(text).split(/<br\s*\/?>/i).reduce(function (widest, line) {
      return Math.max(widest, measurer.measureText(line.replace(/<[^>]*>/g, "")).width);
    }, 0);
  }

  function fitMargins(element, figure) {
    var layout = figure.layout;
    var meta = layout.meta || {};
    var fit = meta.fit_labels;
    var axis = fit && layout[fit.axis];
    var font = layout.font || {};
    if (!axis) {
      return;
    }
    var labels = (axis.ticktext || axis.categoryarray || []).map(function (label) {
      return textWidth(label, Object.assign({}, font, axis.tickfont));
    });
    if (!labels.length || labels.indexOf(null) !== -1) {
      return;
    }
    var room = Math.ceil(Math.max.apply(null, labels)) + fit.pad;
    if (room > element.clientWidth / 2) {
      return;  // labels too long to leave the plot its room: plotly.js shares the width out
    }
    layout.margin = Object.assign({}, layout.margin);
    layout.margin[fit.side] = room;
    axis.automargin = false;
    var bottom = meta.fit_bottom;
    var foot = bottom && layout[bottom.axis];
    if (!foot || element.clientWidth < 640) {
      return;  // on a phone, ticks may turn and the legend wrap: plotly.js measures them
    }
    // the figure states whether it has a legend (initiatives/charts.py decides it)
    var entries = (figure.data || []).filter(function (trace) { return trace.showlegend !== false && trace.name; });
    var rows = layout.showlegend && entries.length ? legendRows(entries.map(function (trace) { return String(trace.name); }),
                                  element.clientWidth - room - (layout.margin.r || 0), bottom, font) : 0;
    if (rows !== null) {
      layout.margin.b = bottom.room + (rows ? bottom.pad + rows * bottom.row : (layout.margin.b || 0));
      foot.automargin = false;
    }
  }

  // How many rows plotly.js gives a horizontal legend of `names` under a plot `width` pixels wide: one, when all
  // its entries (each its name and `entry` pixels) fit; otherwise columns as wide as the widest entry. null when
  // the names' widths lie within 5 % of a line break, where the canvas and the SVG text might disagree.
  function legendRows(names, width, bottom, font) {
    var entries = names.map(function (name) { return textWidth(name, font) + bottom.entry; });
    var total = entries.reduce(function (sum, entry) { return sum + entry; }, 0);
    var widest = Math.max.apply(null, entries);
    if (total * 1.05 < width) {
      return 1;
    }
    var columns = Math.floor(width / (widest * 1.05));
    if (total * 0.95 <= width || columns < 1 || columns !== Math.floor(width / (widest * 0.95))) {
      return null;
    }
    return Math.ceil(entries.length / columns);
  }

  // The chart's own height, before plotly.js arrives: the text below does not jump when it draws.
  function reserve(element, figure) {
    if (figure && figure.layout.height) {
      element.style.minHeight = figure.layout.height + "px";
    }
  }

  // Month names, days and separators of the reader's language on the axes (the tracker's own translations,
  // written by the page as #plotly-locale): registered once with each plotly.js bundle.
  function registerLocale(Plotly) {
    var source = document.getElementById("plotly-locale");
    if (!source || Plotly.__trackerLocale) {
      return;
    }
    var locale = JSON.parse(source.textContent);
    if (locale.name === "en") {
      return;  // plotly.js's own
    }
    Plotly.register({moduleType: "locale", name: locale.name, dictionary: {}, format: locale.format});
    Plotly.__trackerLocale = locale.name;
  }

  function draw(element, figure, Plotly) {
    registerLocale(Plotly);
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

  // plotly.css, linked (not injected: the CSP forbids inline style) before plotly.js first runs, which then
  // finds it by its id and adds no <style> of its own; not in <head>, where it would hold the first paint.
  function linkStyle(url) {
    if (!url || document.getElementById("plotly.js-style-global")) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.id = "plotly.js-style-global";
    link.className = "no-inline-styles";
    link.href = url;
    document.head.appendChild(link);
  }

  // Each bundle defines window.Plotly: they are loaded one at a time, each once, and each chart is drawn
  // with the bundle it named, so that two bundles on one page would not mix.
  var loaded = {};
  var queue = Promise.resolve();

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = queue = queue.then(function () {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = url;
          script.async = true;
          script.onload = function () { resolve(window.Plotly); };
          script.onerror = reject;
          document.body.appendChild(script);
        });
      });
    }
    return loaded[url];
  }

  function start(element, figure) {
    linkStyle(element.getAttribute("data-plotly-css"));
    load(element.getAttribute("data-plotly-bundle")).then(function (Plotly) {
      // a task of its own for each chart, not one long task after the bundle's own
      window.setTimeout(function () { draw(element, figure, Plotly); }, 0);
    }).catch(function () { /* the text summary and the table stay */ });
  }

  // A chart's bundle is fetched when the chart comes near the screen: a reader who never scrolls to it
  // never pays for plotly.js. Without IntersectionObserver, at once.
  function drawAll() {
    var watch = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          watch.unobserve(entry.target);
          start(entry.target, entry.target.plotlyFigure);
        }
      });
    }, {rootMargin: "300px 0px"}) : null;
    document.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      var figure = figureOf(element);
      if (!figure || !element.getAttribute("data-plotly-bundle")) {
        return;
      }
      reserve(element, figure);
      if (watch) {
        element.plotlyFigure = figure;
        watch.observe(element);
      } else {
        start(element, figure);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
