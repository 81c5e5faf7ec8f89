/* Filters for a list: a table whose element says data-filters (one menu per column whose heading says
   data-filter, each cell's value its data-value or its text), or a list whose element says
   data-filters="key:Label key:Label" (one menu per key, each item's value its data-key attribute). A menu lists
   the values with how many rows hold each; choosing values shows only the rows that hold all of them, and a
   line says how many are shown. Nothing is asked of a server; without scripts the list is shown whole. */
(function () {
  document.querySelectorAll("table[data-filters], ol[data-filters], ul[data-filters]").forEach(function (list, t) {
    var table = list.tagName === "TABLE"
    var rows = Array.prototype.slice.call(table ? list.querySelectorAll("tbody tr") : list.children)
    var what = list.getAttribute("data-what") || "rows"
    var keys = []
    if (table) {
      list.querySelectorAll("thead th").forEach(function (th, i) {
        if (th.hasAttribute("data-filter")) {
          keys.push([th.textContent.trim(), function (row) {
            var cell = row.children[i]
            return cell ? (cell.getAttribute("data-value") || cell.textContent).trim() : ""
          }])
        }
      })
    } else {
      list.getAttribute("data-filters").split(/\s+/).forEach(function (spec) {
        var parts = spec.split(":")
        if (parts.length !== 2) return
        keys.push([parts[1].replace(/_/g, " "), function (row) { return row.getAttribute("data-" + parts[0]) || "" }])
      })
    }
    var filters = []
    var bar = document.createElement("div")
    bar.className = "table-filters"
    bar.setAttribute("role", "group")
    bar.setAttribute("aria-label", "Filter the " + what)
    keys.forEach(function (key, i) {
      var counts = {}
      rows.forEach(function (row) { var v = key[1](row); if (v) counts[v] = (counts[v] || 0) + 1 })
      var values = Object.keys(counts).sort()
      if (values.length < 2) return
      var label = document.createElement("label")
      label.textContent = key[0] + " "
      var select = document.createElement("select")
      select.id = "filter-" + t + "-" + i
      var all = document.createElement("option")
      all.value = ""
      all.textContent = "all"
      select.appendChild(all)
      values.forEach(function (v) {
        var option = document.createElement("option")
        option.value = v
        option.textContent = v + " (" + counts[v] + ")"
        select.appendChild(option)
      })
      label.appendChild(select)
      bar.appendChild(label)
      filters.push([key[1], select])
    })
    if (!filters.length) return
    var shown = document.createElement("p")
    shown.className = "meta table-filters-count"
    shown.setAttribute("aria-live", "polite")
    bar.appendChild(shown)
    var apply = function () {
      var n = 0
      rows.forEach(function (row) {
        var keep = filters.every(function (f) { return !f[1].value || f[0](row) === f[1].value })
        row.hidden = !keep
        if (keep) n++
      })
      shown.textContent = n === rows.length ? "All " + rows.length + " " + what : n + " of " + rows.length + " " + what
    }
    filters.forEach(function (f) { f[1].addEventListener("change", apply) })
    apply()
    var wrap = (table && list.closest(".table-wrap")) || list
    wrap.parentNode.insertBefore(bar, wrap)
  })
})()
