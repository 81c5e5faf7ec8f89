/* On a phone, wide tables are shown as one card per row (see briefing.css);
   each cell is labelled with its column heading there. */
document.querySelectorAll(".md-typeset table").forEach(function (table) {
  var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim()
  })
  table.querySelectorAll("tbody tr").forEach(function (row) {
    Array.prototype.forEach.call(row.children, function (cell, i) {
      if (heads[i]) cell.setAttribute("data-label", heads[i])
    })
  })
})
