/* Training check-in page: scans QR codes with the camera where the browser can read them itself
   (BarcodeDetector; nothing is downloaded), and always lets staff type the code. Each check-in is sent with
   fetch so the camera keeps running; without this script the form still posts and the page answers. */
(function () {
  "use strict";

  var form = document.getElementById("code-form");
  if (!form) return;
  var input = document.getElementById("code");
  var result = document.getElementById("checkin-result");
  var checked = document.getElementById("checked-count");
  var confirmed = document.getElementById("confirmed-count");
  var startButton = document.getElementById("start-camera");
  var stopButton = document.getElementById("stop-camera");
  var scanner = document.getElementById("scanner");
  var noScanner = document.getElementById("no-scanner");
  var video = document.getElementById("camera");
  var early = document.getElementById("early-confirm");
  var earlyYes = document.getElementById("early-yes");
  var earlyNo = document.getElementById("early-no");
  var busy = false;
  var pendingEarly = "";  // a code waiting for staff to answer "check in before the training's day?"
  var stream = null;
  var lastCode = "";
  var lastAt = 0;

  function show(kind, message, outcome) {
    result.className = "tr-result tr-result-" + kind;
    result.textContent = message;
    result.setAttribute("data-outcome", outcome || "");
  }

  function kindOf(outcome) {
    if (outcome === "ok") return "ok";
    if (outcome === "already" || outcome === "waitlisted" || outcome === "early") return "warn";
    return "bad";
  }

  function askEarly(code) {
    pendingEarly = code;
    early.hidden = false;
    earlyYes.focus();
  }

  function closeEarly() {
    pendingEarly = "";
    early.hidden = true;
  }

  function send(code, confirmEarly) {
    if (busy || !code || (pendingEarly && !confirmEarly)) return;
    busy = true;
    var body = new FormData(form);
    body.set("code", code);
    if (confirmEarly) body.set("confirm_early", "1");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": body.get("csrf_token") || "" }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!data || typeof data.message !== "string") throw new Error("bad answer");
        show(kindOf(data.outcome), data.message, data.outcome);
        if (data.outcome === "early") askEarly(code);
        else closeEarly();
        if (typeof data.checked_in === "number") checked.textContent = String(data.checked_in);
        if (typeof data.confirmed === "number") confirmed.textContent = String(data.confirmed);
        if (data.outcome === "ok") {
          input.value = "";
          if (navigator.vibrate) navigator.vibrate(120);
        }
      });
    }).catch(function () {
      show("bad", form.getAttribute("data-network-error"), "network");
    }).then(function () {
      busy = false;
      if (!stream) input.focus();
    });
  }

  // The server asked "check in before the training's day?": ยืนยัน sends the same code again, confirmed;
  // ยกเลิก records nothing. The server checks again either way.
  earlyYes.addEventListener("click", function () {
    var code = pendingEarly;
    if (code) send(code, true);
  });
  earlyNo.addEventListener("click", function () {
    closeEarly();
    show("warn", form.getAttribute("data-early-cancelled"), "early_cancelled");
    if (!stream) input.focus();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    closeEarly();  // typing a code answers an open question with "not that one"
    send(input.value.trim());
  });

  // ---- camera scanning (only where the browser has a QR reader of its own) -------------------------------------
  var canScan = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan) {
    noScanner.hidden = false;
    return;
  }
  startButton.hidden = false;
  var detector = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    scanner.hidden = true;
    startButton.hidden = false;
  }

  function scan() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      if (codes.length) {
        var value = codes[0].rawValue || "";
        // The same QR stays in view for a while: send it once, not on every frame.
        if (value && (value !== lastCode || now - lastAt > 4000)) {
          lastCode = value;
          lastAt = now;
          send(value);
        }
      }
    }).catch(function () { /* a frame that could not be read: try the next one */ }).then(function () {
      if (stream) setTimeout(scan, 250);
    });
  }

  startButton.addEventListener("click", function () {
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) throw new Error("no qr");
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      scanner.hidden = false;
      startButton.hidden = true;
      return video.play();
    }).then(scan).catch(function () {
      stop();
      startButton.hidden = true;
      noScanner.hidden = false;
      show("bad", form.getAttribute("data-camera-denied"), "camera");
    });
  });
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
})();
