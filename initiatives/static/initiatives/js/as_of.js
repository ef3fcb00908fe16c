/* On a page shown as of a past day (?as_of=), the links to the other public pages keep that day, so that a
   reader stays on it. Without JavaScript the main navigation and the year steps keep it already. */
(function () {
  "use strict";
  var bar = document.querySelector("[data-as-of]");
  if (!bar) { return; }
  var day = bar.getAttribute("data-as-of");
  // after the language prefix of a page in another language than English (/fr/, /de/, /pt-br/)
  var publicPage = /^\/(?:[a-z]{2}(?:-[a-z]{2,4})?\/)?(?:$|(?:initiatives|timeline|member-states|directive|infringements|about)\/)/;
  document.querySelectorAll("main a[href^='/']").forEach(function (link) {
    if (link.closest(".as-of")) { return; }  // "Back to today" and the year steps name their own day
    var url = new URL(link.getAttribute("href"), window.location.origin);
    if (!publicPage.test(url.pathname) || url.searchParams.has("as_of")) { return; }
    url.searchParams.set("as_of", day);
    link.setAttribute("href", url.pathname + url.search + url.hash);
  });
}());
