// DigitMl page: draw on a canvas or choose a photo, send it to POST /v1/detect, draw the boxes that come back.
// Plain JavaScript, no build step; served from the service's embedded resources.
(function () {
  "use strict";

  var BOX = "#00e5ff";         // box colour: a cyan that neither the pen nor paper photos contain much of
  var INK = "#111111";
  var RESULT_SIZE = 480;       // the result is drawn to fit a square of this many canvas pixels

  var $ = function (id) { return document.getElementById(id); };
  var pad = $("pad"), padContext = pad.getContext("2d");
  var result = $("result"), resultContext = result.getContext("2d");
  var resultBox = $("result-box"), errorBox = $("error");
  var pen = $("pen"), conf = $("conf");

  var strokes = [];            // each: { width, points: [[x, y], ...] }
  var current = null;
  var resend = null;           // repeats the last request (when the confidence changes)
  var requestNumber = 0;
  var detectTimer = 0;

  // ---- drawing pad (pointer events: mouse, pen and touch alike) ----
  function clearPad() {
    padContext.fillStyle = "#ffffff";
    padContext.fillRect(0, 0, pad.width, pad.height);
  }

  function drawStroke(stroke) {
    padContext.strokeStyle = INK;
    padContext.fillStyle = INK;
    padContext.lineWidth = stroke.width;
    padContext.lineCap = "round";
    padContext.lineJoin = "round";
    var p = stroke.points;
    if (p.length === 1) {
      padContext.beginPath();
      padContext.arc(p[0][0], p[0][1], stroke.width / 2, 0, 2 * Math.PI);
      padContext.fill();
      return;
    }
    padContext.beginPath();
    padContext.moveTo(p[0][0], p[0][1]);
    for (var i = 1; i < p.length; i++) padContext.lineTo(p[i][0], p[i][1]);
    padContext.stroke();
  }

  function redraw() {
    clearPad();
    strokes.forEach(drawStroke);
  }

  function padPoint(event) {
    var r = pad.getBoundingClientRect();
    return [(event.clientX - r.left) * pad.width / r.width, (event.clientY - r.top) * pad.height / r.height];
  }

  pad.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    current = { width: Number(pen.value), points: [padPoint(event)] };
    strokes.push(current);
    drawStroke(current);
  });
  pad.addEventListener("pointermove", function (event) {
    if (!current) return;
    event.preventDefault();
    current.points.push(padPoint(event));
    redraw();
  });
  function endStroke() {
    if (!current) return;
    current = null;
    scheduleDrawingDetection();
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  $("undo").addEventListener("click", function () {
    strokes.pop();
    redraw();
    if (strokes.length) scheduleDrawingDetection(); else resetResult();
  });
  $("clear").addEventListener("click", function () {
    strokes = [];
    redraw();
    resetResult();
  });
  pen.addEventListener("input", function () { $("pen-value").textContent = pen.value; });
  conf.addEventListener("input", function () {
    $("conf-value").textContent = Number(conf.value).toFixed(2);
    if (resend) { clearTimeout(detectTimer); detectTimer = setTimeout(resend, 250); }
  });
  $("detect-drawing").addEventListener("click", function () { detectDrawing(); });

  function scheduleDrawingDetection() {
    clearTimeout(detectTimer);
    detectTimer = setTimeout(detectDrawing, 300);
  }

  function detectDrawing() {
    if (!strokes.length) return;
    var snapshot = document.createElement("canvas");
    snapshot.width = pad.width;
    snapshot.height = pad.height;
    snapshot.getContext("2d").drawImage(pad, 0, 0);
    snapshot.toBlob(function (blob) {
      resend = function () { send(blob, null, snapshot); };
      resend();
    }, "image/png");
  }

  // ---- photos: file chooser and drag and drop ----
  function detectFile(file) {
    if (!file) return;
    var picture = null;
    var decoded = typeof createImageBitmap === "function"
      ? createImageBitmap(file).then(function (bitmap) { picture = bitmap; }, function () { picture = null; })
      : Promise.resolve();
    decoded.then(function () {
      resend = function () { send(file, file.name || "upload", picture); };
      resend();
    });
  }

  $("file").addEventListener("change", function (event) {
    detectFile(event.target.files[0]);
    event.target.value = "";
  });
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    detectFile(event.dataTransfer.files[0]);
  });

  // ---- the request ----
  function send(body, fileName, picture) {
    var number = ++requestNumber;
    var init = { method: "POST" };
    if (fileName) {
      var form = new FormData();
      form.append("image", body, fileName);   // multipart/form-data, as a browser form would send it
      init.body = form;
    } else {
      init.body = body;                        // raw PNG body
      init.headers = { "Content-Type": "image/png" };
    }
    resultBox.dataset.state = "busy";
    var started = performance.now();
    var query = "?conf=" + encodeURIComponent(Number(conf.value).toFixed(2));
    // the pad is drawn at a known size with digits about its height: letterboxed to the model's size they come out
    // at the sizes it was trained on, where `auto` would read the 480x240 pad at its own scale (digits far too big)
    if (!fileName) query += "&inference=letterbox";
    fetch("/v1/detect" + query, init)
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { ok: response.ok, status: response.status, json: json };
        });
      })
      .then(function (answer) {
        if (number !== requestNumber) return;    // a newer request is on its way
        var roundTrip = performance.now() - started;
        if (!answer.ok) showError(answer.status, answer.json);
        else showResult(answer.json, picture, roundTrip);
      })
      .catch(function (error) {
        if (number === requestNumber) showError(0, { title: "Network error", detail: String(error) });
      });
  }

  // ---- showing the answer ----
  function resetResult() {
    resend = null;
    requestNumber++;
    errorBox.hidden = true;
    resultBox.dataset.state = "empty";
    resultBox.dataset.count = "0";
    resultContext.clearRect(0, 0, result.width, result.height);
    $("reading").textContent = "\u2013";
    $("latency").textContent = "";
    $("detections").replaceChildren();
  }

  function showError(status, problem) {
    resetResult();
    resultBox.dataset.state = "error";
    errorBox.textContent = (problem.title || ("HTTP " + status)) + (problem.detail ? ": " + problem.detail : "");
    errorBox.hidden = false;
  }

  function showResult(answer, picture, roundTrip) {
    errorBox.hidden = true;
    var w = answer.image.width, h = answer.image.height;
    // Draw at display resolution (small images up, large photos down) so boxes and labels stay crisp and readable.
    var scale = Math.min(RESULT_SIZE / w, RESULT_SIZE / h);
    result.width = Math.max(1, Math.round(w * scale));
    result.height = Math.max(1, Math.round(h * scale));
    resultContext.imageSmoothingEnabled = scale < 1;
    resultContext.fillStyle = "#ffffff";
    resultContext.fillRect(0, 0, result.width, result.height);
    if (picture) resultContext.drawImage(picture, 0, 0, result.width, result.height);

    var fontSize = 14;
    resultContext.font = "600 " + fontSize + "px system-ui, sans-serif";
    resultContext.textBaseline = "top";
    var list = $("detections");
    list.replaceChildren();
    answer.detections.forEach(function (d) {
      var b = d.box;
      var x0 = b.x0 * scale, y0 = b.y0 * scale, x1 = b.x1 * scale, y1 = b.y1 * scale;
      resultContext.strokeStyle = BOX;
      resultContext.lineWidth = 2;
      resultContext.strokeRect(x0, y0, x1 - x0, y1 - y0);
      var label = d.label + " " + d.score.toFixed(2);
      var textWidth = resultContext.measureText(label).width + 6;
      var top = y0 - fontSize - 4 >= 0 ? y0 - fontSize - 4 : y0;
      resultContext.fillStyle = BOX;
      resultContext.fillRect(x0, top, textWidth, fontSize + 4);
      resultContext.fillStyle = "#000000";
      resultContext.fillText(label, x0 + 3, top + 2);

      var item = document.createElement("li");
      item.textContent = d.label + " (" + d.score.toFixed(2) + ") at " +
        Math.round(b.x0) + "," + Math.round(b.y0) + " \u2013 " + Math.round(b.x1) + "," + Math.round(b.y1);
      list.appendChild(item);
    });

    $("reading").textContent = answer.text || "(no digits found)";
    $("latency").textContent = "server " + answer.time_ms.toFixed(1) + " ms \u00b7 round trip " + roundTrip.toFixed(1) +
      " ms \u00b7 " + answer.detections.length + " detection" + (answer.detections.length === 1 ? "" : "s") +
      " \u00b7 " + w + "\u00d7" + h + " " + answer.image.format + " \u00b7 model " + answer.model;
    resultBox.dataset.count = String(answer.detections.length);
    resultBox.dataset.state = "done";
  }

  // ---- model information (retried while the model loads) ----
  function loadModelInfo() {
    fetch("/v1/model").then(function (response) {
      if (response.status === 503) { setTimeout(loadModelInfo, 1000); return null; }
      return response.json();
    }).then(function (model) {
      if (!model) return;
      $("model").textContent = "model " + model.version + " \u00b7 " + model.classes.length + " classes \u00b7 " +
        model.image_size + " px input \u00b7 " + model.format;
      $("model").dataset.version = model.version;
      conf.value = String(model.thresholds.conf);
      $("conf-value").textContent = Number(conf.value).toFixed(2);
    }).catch(function () { setTimeout(loadModelInfo, 2000); });
  }

  $("origin").textContent = window.location.origin;
  clearPad();
  loadModelInfo();
})();
