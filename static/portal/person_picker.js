/* A form's person picker (templates/portal/enterprise_form.html, and every PersonPickerField's widget,
   portal/templates/portal/widgets/person_picker.html): search as you type among the people the user
   sees (names, masked ID numbers) and choose one; on the enterprise form, or enter a new person in the
   fields below. Without this script the typed name or ID number is resolved by the server. */
(function () {
  "use strict";

  function setup(box) {
    if (box.dataset.pickerReady) { return; }
    box.dataset.pickerReady = "1";
    var hidden = box.querySelector("[data-person-id]");
    var searchBox = box.querySelector("[data-person-search-box]");
    var input = box.querySelector("[data-person-search]");
    var results = box.querySelector("[data-person-results]");
    var status = box.querySelector("[data-person-status]");
    var chosenBox = box.querySelector("[data-person-chosen-box]");
    var chosen = box.querySelector("[data-person-chosen]");
    var newInputs = box.querySelectorAll(".row input");
    var url = box.getAttribute("data-search-url");
    var timer = null;
    var asked = 0;

    function showChosen(text) {
      chosen.textContent = text;
      chosenBox.hidden = !text;
      searchBox.hidden = !!text;
    }

    function clearResults() {
      while (results.firstChild) { results.removeChild(results.firstChild); }
    }

    function choose(person) {
      hidden.value = person.id;
      // The brackets come from the page, in its language (full-width in Chinese).
      showChosen(person.name + box.dataset.chosenOpen + (person.id_number || "—") + box.dataset.chosenClose);
      newInputs.forEach(function (field) { field.value = ""; });
      clearResults();
      status.textContent = "";
      input.value = "";
      chosenBox.querySelector("[data-person-clear]").focus();
    }

    function render(people, term) {
      clearResults();
      status.textContent = people.length ? box.dataset.foundText.replace("%(n)s", people.length)
        : box.dataset.noneText.replace("%(q)s", term);
      people.forEach(function (person) {
        var item = document.createElement("li");
        item.className = "list-group-item p-0";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link text-start w-100";
        button.textContent = person.name + "  " + (person.id_number || "") + (person.mobile ? "  " + person.mobile : "");
        button.addEventListener("click", function () { choose(person); });
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    function search() {
      var term = input.value.trim();
      if (!term) { clearResults(); status.textContent = ""; return; }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(term), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (ticket === asked) { render(data.results || [], term); } })
        .catch(function () { if (ticket === asked) { render([], term); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
      if (event.key === "ArrowDown" && results.querySelector("button")) {
        event.preventDefault();
        results.querySelector("button").focus();
      }
    });
    chosenBox.querySelector("[data-person-clear]").addEventListener("click", function () {
      hidden.value = "";
      showChosen("");
      input.focus();
    });
    newInputs.forEach(function (field) {
      field.addEventListener("input", function () {
        if (field.value && hidden.value) { hidden.value = ""; showChosen(""); }
      });
    });
    showChosen(hidden.value ? chosen.textContent : "");
  }

  document.querySelectorAll("[data-person-picker]").forEach(setup);
})();
