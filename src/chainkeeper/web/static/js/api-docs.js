/* Swagger UI for /api/v1/docs from the vendored bundle (no CDN, no inline script). */
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi, dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"
  });
});
