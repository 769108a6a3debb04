// The API docs page (/api/docs): Swagger UI from static/vendor/, its settings from the page (no inline script).
const config = JSON.parse(document.getElementById("swagger-settings").textContent);
config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis];
// The document's links to swagger.io's validator badge would load an image from outside.
config.validatorUrl = null;
window.ui = SwaggerUIBundle(config);
