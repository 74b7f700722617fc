// Starts Swagger UI from a static file: the CSP allows no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The default validator badge loads an image from the internet.
    validatorUrl: null,
    // Tokens typed into "Authorize" stay in this page only.
    persistAuthorization: false,
  });
})();
