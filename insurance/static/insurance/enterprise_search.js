// Search as you type for an enterprise field: <input data-enterprise-search="URL" list="ID">.
// The server answers {"results": [{"uscc", "name", "region"}]}; each becomes an option of the
// field's <datalist>, whose value is the credit code and whose label is the name, so choosing a
// suggestion fills in the code. Without JavaScript the field still takes a code or a whole name.
(function () {
  "use strict";
  document.querySelectorAll("input[data-enterprise-search]").forEach(function (input) {
    var url = input.getAttribute("data-enterprise-search");
    var list = input.list;
    if (!url || !list) {
      return;
    }
    var timer = null;
    var asked = "";
    function fill(results) {
      list.replaceChildren();
      results.forEach(function (row) {
        var option = document.createElement("option");
        option.value = row.uscc;
        option.label = row.name + (row.region ? " · " + row.region : "");
        option.textContent = option.label;
        list.appendChild(option);
      });
    }
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 2 || query === asked) {
        return;
      }
      timer = window.setTimeout(function () {
        asked = query;
        fetch(url + "?q=" + encodeURIComponent(query), {headers: {"Accept": "application/json"},
                                                         credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) { if (input.value.trim() === query) { fill(data.results || []); } })
          .catch(function () { /* no suggestions: the field still takes a code or a name */ });
      }, 250);
    });
  });
})();
