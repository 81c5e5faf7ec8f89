/* Wayfinding. A page below a section (a briefing, an issue, an actor) is not listed in the navigation, so its
   breadcrumb (main.html) names the section, and that section is marked as the current one in the navigation.
   A printed page says when it was printed, beside the publisher and the page's address. A record carried
   forward unchanged is folded (details.carried), and so are key points past the fourth (details.more-points):
   a link to it, or to anything in it, opens it, and so does printing, which shows every record whole. */
(function () {
  var crumbs = document.querySelectorAll(".crumbs a")
  if (crumbs.length > 1) {
    var section = crumbs[1].href
    document.querySelectorAll(".md-nav--primary a.md-nav__link").forEach(function (a) {
      if (a.href === section) a.classList.add("md-nav__link--active", "section-active")
    })
  }
  function unfold() {
    var id = decodeURIComponent(location.hash.slice(1))
    var target = id && document.getElementById(id)
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true
    }
    if (target && target.tagName !== "DETAILS") target.scrollIntoView()
  }
  if (document.querySelector("details.carried, details.more-points")) {
    unfold()
    window.addEventListener("hashchange", unfold)
    var opened = []
    window.addEventListener("beforeprint", function () {
      if (document.documentElement.getAttribute("data-print") === "summary") return  /* print.js: the summary */
      document.querySelectorAll("details.carried:not([open]), details.more-points:not([open])").forEach(function (d) {
        d.open = true
        opened.push(d)
      })
    })
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false })
      opened = []
    })
  }
  var printed = document.querySelector(".print-date")
  if (printed) {
    window.addEventListener("beforeprint", function () {
      printed.textContent = " · printed " + new Date().toISOString().slice(0, 10)
    })
  }
})()
