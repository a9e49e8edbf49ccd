/* Image uploads into a markdown textarea: the upload form, drag-and-drop and paste.
 *
 * Progressive enhancement of <form data-upload-into="#id_body">: without this script the form still posts and the
 * server answers JSON. With it, the image is sent in the background with a progress bar, its markdown goes in at the
 * cursor of the target textarea, and a refusal is shown in words. Files dropped or pasted onto the textarea take
 * the same path. No inline script: the Content-Security-Policy allows none.
 */
(function () {
  "use strict";

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    var before = value.slice(0, start), after = value.slice(end);
    var pad = before && !/\n$/.test(before) ? "\n" : "";
    textarea.value = before + pad + text + "\n" + after;
    var caret = (before + pad + text + "\n").length;
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function upload(form, file, textarea) {
    var status = form.querySelector("[data-upload-status]");
    var bar = form.querySelector("progress");
    var data = new FormData();
    data.append("file", file);
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    if (bar) { bar.hidden = false; bar.value = 0; }
    status.textContent = "Uploading " + file.name + "…";
    request.upload.onprogress = function (event) {
      if (bar && event.lengthComputable) { bar.value = Math.round((100 * event.loaded) / event.total); }
    };
    request.onload = function () {
      if (bar) { bar.hidden = true; }
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (error) { body = {}; }
      if (request.status === 201 && body.markdown) {
        insertAtCursor(textarea, body.markdown);
        status.textContent = file.name + " added to your post.";
        status.className = "ok";
      } else {
        status.textContent = body.error || "The upload failed (" + request.status + "). Try again.";
        status.className = "error";
      }
    };
    request.onerror = function () {
      if (bar) { bar.hidden = true; }
      status.textContent = "The upload failed: the connection was lost. Try again.";
      status.className = "error";
    };
    request.send(data);
  }

  function images(list) {
    return Array.prototype.filter.call(list || [], function (file) { return /^image\//.test(file.type); });
  }

  document.querySelectorAll("form[data-upload-into]").forEach(function (form) {
    var textarea = document.querySelector(form.getAttribute("data-upload-into"));
    if (!textarea) { return; }
    var input = form.querySelector("input[type=file]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.files.length) { upload(form, input.files[0], textarea); input.value = ""; }
    });
    input.addEventListener("change", function () {
      if (input.files.length) { upload(form, input.files[0], textarea); input.value = ""; }
    });
    textarea.addEventListener("dragover", function (event) { event.preventDefault(); textarea.classList.add("dropping"); });
    textarea.addEventListener("dragleave", function () { textarea.classList.remove("dropping"); });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("dropping");
      var files = images(event.dataTransfer && event.dataTransfer.files);
      if (files.length) { event.preventDefault(); files.forEach(function (file) { upload(form, file, textarea); }); }
    });
    textarea.addEventListener("paste", function (event) {
      var files = images(event.clipboardData && event.clipboardData.files);
      if (files.length) { event.preventDefault(); files.forEach(function (file) { upload(form, file, textarea); }); }
    });
  });
})();
