// Partners directory: filter the groups by type instantly.
// Without JavaScript the type links are anchors and the stylesheet shows only the :target group.
(function () {
  "use strict";
  var container = document.querySelector("[data-filter-groups]");
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-filter]"));
  if (!container || !links.length) return;
  var groups = Array.prototype.slice.call(container.querySelectorAll("[data-type]"));

  // From now on the script decides what is shown: switch off the :target rule of the stylesheet.
  container.setAttribute("data-filter-js", "");

  function known(type) {
    return type === "all" || groups.some(function (g) { return g.getAttribute("data-type") === type; });
  }

  function show(type) {
    groups.forEach(function (group) {
      group.hidden = type !== "all" && group.getAttribute("data-type") !== type;
    });
    links.forEach(function (link) {
      if (link.getAttribute("data-filter") === type) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }

  function fromHash() {
    var type = decodeURIComponent(location.hash.replace(/^#/, ""));
    return known(type) ? type : "all";
  }

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var type = link.getAttribute("data-filter");
      show(type);
      history.replaceState(null, "", "#" + type);
    });
  });

  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
