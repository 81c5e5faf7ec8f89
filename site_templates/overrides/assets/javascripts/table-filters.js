/* Filters for a list table (data-filters): one menu per column whose heading says data-filter, listing
   the values its cells hold (a cell's data-value, else its text) with how many rows hold each. Choosing values
   shows only the rows that hold all of them, and a line says how many are shown. Nothing is asked of a server;
   without scripts the table is shown whole. */
(function () {
  document.querySelectorAll("table[data-filters]").forEach(function (table, t) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"))
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"))
    var what = table.getAttribute("data-what") || "rows"
    var value = function (row, i) {
      var cell = row.children[i]
      return cell ? (cell.getAttribute("data-value") || cell.textContent).trim() : ""
    }
    var filters = []
    var bar = document.createElement("div")
    bar.className = "table-filters"
    bar.setAttribute("role", "group")
    bar.setAttribute("aria-label", "Filter the " + what)
    heads.forEach(function (th, i) {
      if (!th.hasAttribute("data-filter")) return
      var counts = {}
      rows.forEach(function (row) { var v = value(row, i); if (v) counts[v] = (counts[v] || 0) + 1 })
      var values = Object.keys(counts).sort()
      if (values.length < 2) return
      var label = document.createElement("label")
      label.textContent = th.textContent.trim() + " "
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
      filters.push([i, select])
    })
    if (!filters.length) return
    var shown = document.createElement("p")
    shown.className = "meta table-filters-count"
    shown.setAttribute("aria-live", "polite")
    bar.appendChild(shown)
    var apply = function () {
      var n = 0
      rows.forEach(function (row) {
        var keep = filters.every(function (f) { return !f[1].value || value(row, f[0]) === f[1].value })
        row.hidden = !keep
        if (keep) n++
      })
      shown.textContent = n === rows.length ? "All " + rows.length + " " + what : n + " of " + rows.length + " " + what
    }
    filters.forEach(function (f) { f[1].addEventListener("change", apply) })
    apply()
    var wrap = table.closest(".table-wrap") || table
    wrap.parentNode.insertBefore(bar, wrap)
  })
})()
