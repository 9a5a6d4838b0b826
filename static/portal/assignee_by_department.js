// An assignee list that follows the chosen department: a <select data-follows="NAME"> whose options
// carry data-departments="ID ID…" shows only the options of the department chosen in the form's
// <select name="NAME">. Without a department, only the empty choice. The server checks the same.
(function () {
  "use strict";
  function follow(select) {
    var form = select.form;
    var leader = form && form.elements.namedItem(select.getAttribute("data-follows"));
    if (!leader) { return; }
    function apply() {
      var chosen = leader.value;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.hasAttribute("data-departments")) { return; }
        var fits = chosen !== "" && option.getAttribute("data-departments").split(" ").indexOf(chosen) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) { select.value = ""; }
      });
    }
    leader.addEventListener("change", apply);
    apply();
  }
  document.querySelectorAll("select[data-follows]").forEach(follow);
})();
