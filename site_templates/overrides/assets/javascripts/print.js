/* A briefing's print buttons (briefing.md.j2): "Summary" prints the title, the line under it, the bottom line
   with its contested claims and key points, and the sources (briefing.css, html[data-print=summary]), at most
   two A4 pages; "The whole briefing" prints every section, as the browser's own print does. Without scripts
   the buttons are not shown. */
(function () {
  var buttons = document.querySelectorAll(".print-button")
  if (!buttons.length) return
  var root = document.documentElement
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.getAttribute("data-print") === "summary") root.setAttribute("data-print", "summary")
      window.print()
    })
  })
  window.addEventListener("afterprint", function () { root.removeAttribute("data-print") })
})()
