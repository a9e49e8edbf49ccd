// The new-idea form: while the member types a title, show the board's similar ideas so they can vote instead.
(function () {
  "use strict";
  var form = document.getElementById("idea-form");
  if (!form) return;
  var title = form.querySelector("#id_title");
  var box = document.getElementById("similar");
  var list = document.getElementById("similar-list");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var asked = "";
  function show(ideas) {
    list.textContent = "";
    ideas.forEach(function (idea) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = idea.url;
      a.textContent = idea.title;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · " + idea.votes + " vote" + (idea.votes === 1 ? "" : "s") + " · " + idea.status));
      list.appendChild(li);
    });
    box.hidden = ideas.length === 0;
  }
  function ask() {
    var q = title.value.trim();
    if (q.length < 3 || q === asked) return;
    asked = q;
    fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { ideas: [] }; })
      .then(function (data) { if (asked === q) show(data.ideas || []); })
      .catch(function () {});
  }
  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
})();
