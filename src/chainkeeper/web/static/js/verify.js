/* The verify page's scanner: a QR code from the device camera (getUserMedia) or from a photo, decoded here with
   the vendored jsQR (nothing is uploaded), then the page opens /verify?p=<payload>. */
(function () {
  "use strict";
  var MAX_SIDE = 1280;  // larger photos are scaled down before decoding (faster, as reliable)

  function payloadOf(text) {
    text = (text || "").trim();
    var match = /[?&][pc]=([^&#]+)/.exec(text);
    return match ? decodeURIComponent(match[1]) : text;
  }

  function decode(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
  }

  function setUp(panel) {
    var status = panel.querySelector("[data-scan-status]");
    var video = panel.querySelector("[data-scan-video]");
    var start = panel.querySelector("[data-scan-camera]");
    var stop = panel.querySelector("[data-scan-stop]");
    var file = panel.querySelector("[data-scan-file]");
    var stream = null;

    function say(key) { status.textContent = panel.dataset[key] || ""; }

    function found(code) {
      say("msgFound");
      window.location.href = "/verify?p=" + encodeURIComponent(payloadOf(code.data));
    }

    function stopCamera() {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
    }

    function scanFrame() {
      if (!stream) { return; }
      if (video.readyState >= 2 && video.videoWidth) {
        var code = decode(video, video.videoWidth, video.videoHeight);
        if (code && code.data) { stopCamera(); found(code); return; }
      }
      window.requestAnimationFrame(scanFrame);
    }

    start.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("msgNoCamera"); return; }
      say("msgStarting");
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          stop.hidden = false;
          start.hidden = true;
          stop.focus();
          return video.play();
        })
        .then(function () { say("msgScanning"); scanFrame(); })
        .catch(function () { stopCamera(); say("msgNoCamera"); });
    });
    stop.addEventListener("click", function () { stopCamera(); status.textContent = ""; start.focus(); });

    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) { return; }
      say("msgReading");
      var reader = new FileReader();  // a data: URL, which the page's content security policy allows for images
      reader.onload = function () {
        var image = new Image();
        image.onload = function () {
          var code = decode(image, image.naturalWidth, image.naturalHeight);
          if (code && code.data) { found(code); } else { say("msgNotFound"); }
        };
        image.onerror = function () { say("msgNotFound"); };
        image.src = reader.result;
      };
      reader.onerror = function () { say("msgNotFound"); };
      reader.readAsDataURL(chosen);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-scanner]");
    if (panel && typeof jsQR === "function") { setUp(panel); }
  });
})();
