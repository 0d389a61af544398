// The query page: runs the query with fetch() against this endpoint and shows a table.
// Plain browser JavaScript, no library, nothing loaded from elsewhere.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const run = document.getElementById("run");
  const status = document.getElementById("status");
  const table = document.getElementById("results");
  const raw = document.getElementById("raw");
  const accept = document.getElementById("accept");
  const examples = JSON.parse(document.getElementById("example-data").textContent);
  const prologue = JSON.parse(document.getElementById("prologue-data").textContent);

  document.getElementById("examples").addEventListener("change", function (event) {
    const example = examples[Number(event.target.value)];
    if (example) editor.value = prologue + "\n" + example.query.trim() + "\n";
  });

  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function clear() {
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    raw.hidden = true;
    raw.textContent = "";
    status.classList.remove("error");
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      const note = document.createElement("span");
      if (term["xml:lang"]) {
        note.className = "lang";
        note.textContent = " @" + term["xml:lang"];
      } else if (term.datatype && !term.datatype.endsWith("#string")) {
        note.className = "dt";
        note.textContent = " ^^" + term.datatype.replace(/^.*[#/]/, "xsd:");
      }
      td.appendChild(note);
    }
    return td;
  }

  function showBindings(data) {
    const vars = data.head.vars || [];
    const head = document.createElement("tr");
    for (const name of vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    }
    table.tHead.appendChild(head);
    const body = table.tBodies[0];
    for (const binding of data.results.bindings) {
      const tr = document.createElement("tr");
      for (const name of vars) tr.appendChild(cell(binding[name]));
      body.appendChild(tr);
    }
    const n = data.results.bindings.length;
    status.textContent = n + (n === 1 ? " result" : " results");
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clear();
    run.disabled = true;
    status.textContent = "Running…";
    const chosen = accept.value;
    const params = new URLSearchParams({ query: editor.value });
    if (chosen) params.set("format", chosen);
    const started = performance.now();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: params.toString(),
      });
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        status.classList.add("error");
        status.textContent = "Error " + response.status + ": " + text;
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const data = JSON.parse(text);
        if (typeof data.boolean === "boolean") {
          status.textContent = "Answer: " + data.boolean;
        } else {
          showBindings(data);
        }
      } else {
        raw.hidden = false;
        raw.textContent = text;
        status.textContent = "Answer as " + type.split(";")[0];
      }
      status.textContent += " (" + seconds + " s)";
    } catch (error) {
      status.classList.add("error");
      status.textContent = "The request failed: " + error;
    } finally {
      run.disabled = false;
    }
  });
})();
