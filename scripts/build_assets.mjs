// Builds the front-end: our Sass (on GOV.UK Frontend) into static/css, and copies
// GOV.UK Frontend's JavaScript and images into static/govuk, and GOV.UK's accessible-autocomplete
// (its built JavaScript and CSS) into static/autocomplete. The outputs are git-ignored.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
const out = join(root, "static");

const result = sass.compile(join(root, "static_src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions", "if-function"],
});
mkdirSync(join(out, "css"), { recursive: true });
writeFileSync(join(out, "css", "app.css"), result.css);

mkdirSync(join(out, "govuk", "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// Images only: the service uses Arial, not the GDS Transport font.
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });

// Long lists become an accessible-autocomplete (static/js/selects.js).
mkdirSync(join(out, "autocomplete"), { recursive: true });
// With their source maps: the minified files name them, and collectstatic's manifest refuses a missing one.
for (const file of [
  "accessible-autocomplete.min.js",
  "accessible-autocomplete.min.js.map",
  "accessible-autocomplete.min.css",
  "accessible-autocomplete.min.css.map",
]) {
  cpSync(join(autocomplete, file), join(out, "autocomplete", file));
}
console.log(
  "Built static/css/app.css and copied GOV.UK Frontend assets into static/govuk/ and accessible-autocomplete into static/autocomplete/",
);
