/* Wayfinding. A page below a section (a briefing, an issue, an actor) is not listed in the navigation, so its
   breadcrumb (main.html) names the section, and that section is marked as the current one in the navigation.
   A printed page says when it was printed, beside the publisher and the page's address. */
(function () {
  var crumbs = document.querySelectorAll(".crumbs a")
  if (crumbs.length > 1) {
    var section = crumbs[1].href
    document.querySelectorAll(".md-nav--primary a.md-nav__link").forEach(function (a) {
      if (a.href === section) a.classList.add("md-nav__link--active", "section-active")
    })
  }
  var printed = document.querySelector(".print-date")
  if (printed) {
    window.addEventListener("beforeprint", function () {
      printed.textContent = " · printed " + new Date().toISOString().slice(0, 10)
    })
  }
})()
