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
  // The same characters the server hides from screen readers (bot/channels/web_view.py).
  var EMOJI = /[\u{1F000}-\u{1FAFF}\u2190-\u21FF\u2300-\u23FF\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3]+/gu;

  function withHiddenEmoji(parent, text) {
    var last = 0, m;
    EMOJI.lastIndex = 0;
    while ((m = EMOJI.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var span = document.createElement("span");
      span.setAttribute("aria-hidden", "true");
      span.textContent = m[0];
      parent.appendChild(span);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function textWithLinks(parent, text) {
    var last = 0, m;
    LINKS.lastIndex = 0;
    while ((m = LINKS.exec(text)) !== null) {
      withHiddenEmoji(parent, text.slice(last, m.index));
      var a = document.createElement("a");
      if (m[1]) { a.href = m[1]; a.rel = "noopener noreferrer"; a.target = "_blank"; }
      else { a.href = "tel:" + m[2].replace(/-/g, ""); }
      a.textContent = m[0];
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    withHiddenEmoji(parent, text.slice(last));
  }

  function bubble(reply, turn) {
    var div = document.createElement("div");
    div.className = "bot";
    var p = document.createElement("p");
    var lines = reply.lines || [[null, reply.text]];
    lines.forEach(function (line, i) {
      if (i > 0) { p.appendChild(document.createTextNode("\n")); }
      var target = p;
      if (line[0]) {
        target = document.createElement("span");
        target.lang = line[0];
        p.appendChild(target);
      }
      textWithLinks(target, line[1]);
    });
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
        if (b.lang) { el.lang = b.lang; }
        withHiddenEmoji(el, b.label);
        box.appendChild(el);
      });
      div.appendChild(box);
    }
    turn.appendChild(div);
  }

  function mine(text) {
    var div = document.createElement("div");
    div.className = "me";
    div.textContent = text;
    chat.appendChild(div);
  }

  // The page's own words follow the conversation's language at once.
  function applyChrome(t) {
    if (!t) { return; }
    document.documentElement.lang = t.lang;
    document.title = t.title;
    var title = document.getElementById("title");
    if (title) { title.textContent = t.title; }
    var label = document.getElementById("write-label");
    if (label) { label.textContent = t.write; }
    input.placeholder = t.write;
    var sendButton = document.getElementById("send");
    if (sendButton) { sendButton.textContent = t.send; }
    say.setAttribute("data-offline", t.offline);
  }

  // Each answer is one group; the view starts at its top and focus moves to it, so a person on a
  // phone reads the start of the answer and a screen reader reads it next.
  function show(replies) {
    var turn = document.createElement("div");
    turn.className = "turn";
    turn.tabIndex = -1;
    replies.forEach(function (r) { bubble(r, turn); });
    chat.appendChild(turn);
    turn.scrollIntoView({ block: "start" });
    turn.focus({ preventScroll: true });
  }

  function clear() {
    while (chat.firstChild) { chat.removeChild(chat.firstChild); }
    input.value = "";
  }

  function send(body, shown) {
    if (shown) { mine(shown); }
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.erased) { clear(); }
      applyChrome(data.chrome);
      show(data.replies || []);
    }).catch(function () {
      show([{ text: "⚠ " + (say.getAttribute("data-offline") || "No connection."), buttons: [] }]);
    });
  }

  chat.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || !button.value) { return; }
    e.preventDefault();
    send({ payload: button.value }, button.textContent.trim());
  });

  say.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send({ text: text }, text);
  });
})();
