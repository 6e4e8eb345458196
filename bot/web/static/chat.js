// Progressive enhancement of the web chat: post to /api/chat and append bubbles instead of
// reloading the page. Without this script every form still works. Nothing is kept in the browser
// but the session cookie; what the person types is shown locally and never stored by the server.
(function () {
  "use strict";
  var chat = document.getElementById("chat");
  var say = document.getElementById("say");
  var input = document.getElementById("text");
  if (!chat || !say || !window.fetch) { return; }

  var LINKS = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:])|((?:1-)?\d{3}-\d{3}-\d{4}|\b911\b|\b988\b)/g;

  function textWithLinks(parent, text) {
    var last = 0, m;
    LINKS.lastIndex = 0;
    while ((m = LINKS.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      if (m[1]) { a.href = m[1]; a.rel = "noopener noreferrer"; a.target = "_blank"; }
      else { a.href = "tel:" + m[2].replace(/-/g, ""); }
      a.textContent = m[0];
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function bubble(reply) {
    var div = document.createElement("div");
    div.className = "bot";
    var p = document.createElement("p");
    textWithLinks(p, reply.text);
    div.appendChild(p);
    if (reply.buttons && reply.buttons.length) {
      var box = document.createElement("div");
      box.className = "buttons";
      reply.buttons.forEach(function (b) {
        var el;
        if (b.url) {
          el = document.createElement("a");
          el.href = b.url; el.rel = "noopener noreferrer"; el.target = "_blank";
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.addEventListener("click", function () { send({ payload: b.payload }, b.label); });
        }
        el.textContent = b.label;
        box.appendChild(el);
      });
      div.appendChild(box);
    }
    chat.appendChild(div);
  }

  function mine(text) {
    var div = document.createElement("div");
    div.className = "me";
    div.textContent = text;
    chat.appendChild(div);
  }

  function send(body, shown) {
    if (shown) { mine(shown); }
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); }).then(function (data) {
      (data.replies || []).forEach(bubble);
      if (data.locale) { document.documentElement.lang = data.locale; }
      window.scrollTo(0, document.body.scrollHeight);
    }).catch(function () {
      bubble({ text: "⚠ No connection. Please try again. / Sin conexión. Intente de nuevo.", buttons: [] });
    });
  }

  chat.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || !button.value) { return; }
    e.preventDefault();
    send({ payload: button.value }, button.textContent);
  });

  say.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send({ text: text }, text);
  });
  window.scrollTo(0, document.body.scrollHeight);
})();
